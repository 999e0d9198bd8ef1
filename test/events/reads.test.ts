import { describe, expect, it } from "vitest";
import { BASE, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

describe("read normalizers", () => {
  it("DescribeKey names its key", () => {
    const record = kmsRecord({
      eventName: "DescribeKey",
      readOnly: true,
      requestParameters: { keyId: KEY_ID },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "DescribeKey",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
    });
  });

  it("GenerateRandom and ListAliases without a keyId have no key", () => {
    expect(
      normalized(kmsRecord({ eventName: "GenerateRandom", requestParameters: null, resources: [] })),
    ).toEqual({
      ...BASE,
      source: "kms",
      name: "GenerateRandom",
      key: null,
    });
    expect(
      normalized(kmsRecord({ eventName: "ListAliases", requestParameters: { limit: 5 } })),
    ).toMatchObject({ key: null });
  });

  it("ListAliases filtered by key has the key", () => {
    expect(
      normalized(kmsRecord({ eventName: "ListAliases", requestParameters: { keyId: KEY_ID } })),
    ).toMatchObject({
      key: { arn: KEY_ARN, raw: KEY_ID },
    });
  });
});
