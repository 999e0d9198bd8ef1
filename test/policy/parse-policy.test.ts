import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/index.js";
import { mustParse } from "./helpers.js";

describe("parsePolicy", () => {
  it("reads the JSON text CloudTrail logs, a single Statement object and every principal type", () => {
    const text = JSON.stringify({
      Version: "2012-10-17",
      Id: "mixed",
      Statement: {
        Sid: "All kinds",
        Effect: "Allow",
        Principal: {
          AWS: [
            "111122223333",
            "arn:aws:iam::444455556666:root",
            "AROAEXAMPLEID12345678",
            "arn:aws:iam::111122223333:user/Bob",
          ],
          Service: "ec2.amazonaws.com",
          Federated: "arn:aws:iam::111122223333:saml-provider/Okta",
          CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    });
    const policy = mustParse(text);
    expect(policy).toMatchObject({ version: "2012-10-17", id: "mixed" });
    const [statement] = policy.statements;
    expect(statement?.principals.entries.map((e) => [e.type, e.principal.kind, e.principal.id])).toEqual([
      ["AWS", "account", "111122223333"],
      ["AWS", "account", "444455556666"],
      ["AWS", "principal-id", "AROAEXAMPLEID12345678"],
      ["AWS", "user", "arn:aws:iam::111122223333:user/Bob"],
      ["Service", "service", "ec2.amazonaws.com"],
      ["Federated", "federated", "arn:aws:iam::111122223333:saml-provider/Okta"],
      ["CanonicalUser", "unknown", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"],
    ]);
    expect(statement?.conditions).toEqual({ Bool: { "kms:GrantIsForAWSResource": ["true"] } });
    expect(statement?.condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": true } });
    expect(statement?.raw).toEqual(JSON.parse(text).Statement);
  });

  it.each([
    ["not JSON", "{nope", "the policy is not valid JSON", []],
    [
      "no Statement",
      { Version: "2012-10-17" },
      "the policy document has no readable Statement",
      ["Statement"],
    ],
    [
      "bad Effect",
      { Statement: [{ Effect: "Maybe", Principal: "*", Action: "kms:*" }] },
      "a policy statement does not fit the key policy grammar",
      ["Statement.0.Effect"],
    ],
    [
      "no principal",
      { Statement: [{ Effect: "Allow", Action: "kms:*" }] },
      "a policy statement does not fit the key policy grammar",
      ["Statement.0"],
    ],
    [
      "Action and NotAction",
      { Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:*", NotAction: "kms:Decrypt" }] },
      "a policy statement does not fit the key policy grammar",
      ["Statement.0"],
    ],
    [
      "unknown principal type",
      { Statement: [{ Effect: "Deny", Principal: { Robot: "x" }, Action: "kms:*" }] },
      "a policy statement does not fit the key policy grammar",
      ["Statement.0.Principal"],
    ],
  ])("returns a problem, not an exception, for %s", (_name, document, reason, paths) => {
    const result = parsePolicy(document);
    expect(result.kind).toBe("problem");
    if (result.kind !== "problem") return;
    expect(result.reason).toBe(reason);
    expect(result.details.map((d) => d.path)).toEqual(paths);
  });

  it("fails the whole policy when one statement is unreadable, so no Deny is lost", () => {
    const result = parsePolicy({
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "kms:*" },
        { Effect: "Deny", Principal: "*", Action: 42 },
      ],
    });
    expect(result.kind).toBe("problem");
  });
});
