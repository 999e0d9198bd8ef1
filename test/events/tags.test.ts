import { describe, expect, it } from "vitest";
import { BASE, KEY_ARN, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

describe("tag and description normalizers", () => {
  it("TagResource", () => {
    const record = kmsRecord({
      eventName: "TagResource",
      requestParameters: { keyId: KEY_ARN, tags: [{ tagKey: "Department", tagValue: "IT" }] },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "TagResource",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ARN },
      tags: [{ key: "Department", value: "IT" }],
    });
  });

  it("UntagResource", () => {
    const record = kmsRecord({
      eventName: "UntagResource",
      requestParameters: { keyId: KEY_ARN, tagKeys: ["Dept"] },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "UntagResource",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ARN },
      tagKeys: ["Dept"],
    });
  });

  it("UpdateKeyDescription", () => {
    const record = kmsRecord({
      eventName: "UpdateKeyDescription",
      requestParameters: { keyId: KEY_ARN, description: "New key description" },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "UpdateKeyDescription",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ARN },
      description: "New key description",
    });
  });
});
