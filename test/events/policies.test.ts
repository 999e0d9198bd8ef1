import { describe, expect, it } from "vitest";
import { BASE, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

describe("PutKeyPolicy", () => {
  it("parses the policy JSON string once", () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
        },
      ],
    };
    const record = kmsRecord({
      eventName: "PutKeyPolicy",
      requestParameters: {
        keyId: KEY_ID,
        policyName: "default",
        policy: JSON.stringify(policy, null, 4),
        bypassPolicyLockoutSafetyCheck: true,
      },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "PutKeyPolicy",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      policyName: "default",
      policy,
      bypassPolicyLockoutSafetyCheck: true,
    });
  });

  it("keeps a policy that an export already expanded into an object", () => {
    const policy = { Version: "2012-10-17", Statement: [] };
    expect(
      normalized(kmsRecord({ eventName: "PutKeyPolicy", requestParameters: { keyId: KEY_ID, policy } })),
    ).toMatchObject({ policy });
  });

  it("keeps an unparsable policy as {unparsed}", () => {
    const event = normalized(
      kmsRecord({ eventName: "PutKeyPolicy", requestParameters: { keyId: KEY_ID, policy: '{"Version": ' } }),
    );
    expect(event).toMatchObject({ policy: { unparsed: '{"Version": ' } });
  });
});
