import { describe, expect, it } from "vitest";
import { BASE, kmsRecord, normalized } from "./helpers.js";

describe("custom key store normalizers", () => {
  it("CreateCustomKeyStore: id from the response", () => {
    const record = kmsRecord({
      eventName: "CreateCustomKeyStore",
      requestParameters: { customKeyStoreName: "ExampleKeyStore", clusterId: "cluster-1a23b4cdefg" },
      responseElements: { customKeyStoreId: "cks-1234567890abcdef0" },
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "CreateCustomKeyStore",
      key: null,
      customKeyStoreId: "cks-1234567890abcdef0",
      customKeyStoreName: "ExampleKeyStore",
      customKeyStoreType: null,
    });
  });

  it("ConnectCustomKeyStore: name from additionalEventData", () => {
    const record = kmsRecord({
      eventName: "ConnectCustomKeyStore",
      requestParameters: { customKeyStoreId: "cks-1234567890abcdef0" },
      additionalEventData: { customKeyStoreName: "ExampleKeyStore", clusterId: "cluster-1a23b4cdefg" },
    });
    expect(normalized(record)).toMatchObject({
      customKeyStoreId: "cks-1234567890abcdef0",
      customKeyStoreName: "ExampleKeyStore",
    });
  });
});
