import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, issueOf, KEY_ARN, KEY_ID, kmsRecord, normalized } from "./helpers.js";

const ALIAS_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/ExampleAlias`;
const ALIAS = { name: "alias/ExampleAlias", account: ACCOUNT, region: "us-west-2" };

describe("alias normalizers", () => {
  it("CreateAlias: the alias ARN in resources[] (typed AWS::KMS::Key) is not taken for the key", () => {
    const record = kmsRecord({
      eventName: "CreateAlias",
      requestParameters: { aliasName: "alias/ExampleAlias", targetKeyId: KEY_ID },
      resources: [
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: ALIAS_ARN },
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY_ARN },
      ],
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "CreateAlias",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      alias: ALIAS,
    });
  });

  it("UpdateAlias: key is the new target", () => {
    const newTarget = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
    const record = kmsRecord({
      eventName: "UpdateAlias",
      requestParameters: {
        aliasName: "alias/ExampleAlias",
        targetKeyId: "0987dcba-09fe-87dc-65ba-ab0987654321",
      },
      resources: [
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: ALIAS_ARN },
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY_ARN },
        { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: newTarget },
      ],
    });
    expect(normalized(record)).toMatchObject({ name: "UpdateAlias", key: { arn: newTarget }, alias: ALIAS });
  });

  it("DeleteAlias: key is the one the alias pointed to, when resources[] names it", () => {
    const record = kmsRecord({
      eventName: "DeleteAlias",
      requestParameters: { aliasName: "alias/ExampleAlias" },
      resources: [
        { ARN: ALIAS_ARN, accountId: ACCOUNT },
        { ARN: KEY_ARN, accountId: ACCOUNT },
      ],
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "DeleteAlias",
      key: { arn: KEY_ARN, alias: null, raw: null },
      alias: ALIAS,
    });
  });

  it("a successful alias call without an alias name is an issue; a failed one is kept", () => {
    expect(
      issueOf(kmsRecord({ eventName: "CreateAlias", requestParameters: { targetKeyId: KEY_ID } })).code,
    ).toBe("unknown-shape");
    const failed = normalized(
      kmsRecord({ eventName: "CreateAlias", errorCode: "AccessDenied", requestParameters: null }),
    );
    expect(failed).toMatchObject({
      name: "CreateAlias",
      alias: { name: "", account: ACCOUNT },
      error: { code: "AccessDenied" },
    });
  });
});
