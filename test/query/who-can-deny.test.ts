import { describe, expect, it } from "vitest";
import { type CaseData, CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { whoCanAt } from "../../src/query/index.js";
import { at, buildModel, grant, key, policyVersion } from "./findings/case-builder.js";

/**
 * Denies, on the key-lifecycle trail with its first policy version rewritten: the fixtures hold no Deny, and
 * "unconditional Deny removes, conditional Deny is shown" must hold end to end through who-can.
 */
const KEY = "arn:aws:kms:us-east-1:111122223333:key/df521c30-b8ac-457e-bec9-b87dda67bb05";
const ORDERS = "arn:aws:iam::111122223333:role/OrdersApp";
const T = Date.parse("2024-03-04T13:05:00Z");
const trail = replayInputs([new URL("../../fixtures/scenarios/key-lifecycle", import.meta.url).pathname]);

async function withExtraStatements(statements: unknown[]): Promise<CaseModel> {
  const data: CaseData = await trail;
  const keys = data.keys.map((key) => {
    if (key.arn !== KEY) return key;
    const [first, ...rest] = key.policies;
    if (!first) throw new Error("the fixture's key has no policy");
    const document = first.document as { Statement: unknown[] };
    return {
      ...key,
      policies: [
        { ...first, document: { ...document, Statement: [...document.Statement, ...statements] } },
        ...rest,
      ],
    };
  });
  return new CaseModel({ ...data, keys });
}

describe("who-can with Deny statements", () => {
  it("removes a principal an unconditional Deny covers, and says so", async () => {
    const model = await withExtraStatements([
      {
        Sid: "NoOrdersDecrypt",
        Effect: "Deny",
        Principal: { AWS: ORDERS },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    ]);
    const decrypt = whoCanAt(model, KEY, T, { operation: "Decrypt" });
    expect(decrypt.principals.map((p) => p.principal)).not.toContain(ORDERS);
    expect(decrypt.removed).toEqual([
      expect.objectContaining({ principal: ORDERS, sid: "NoOrdersDecrypt", operations: ["Decrypt"] }),
    ]);
    // The Deny names Decrypt only: OrdersApp keeps Encrypt.
    const all = whoCanAt(model, KEY, T);
    const orders = all.principals.find((p) => p.principal === ORDERS);
    expect(orders?.operations).toContain("Encrypt");
    expect(orders?.operations).not.toContain("Decrypt");
    // The Deny reaches only part of the account line: the account stays, with the Deny shown.
    const account = decrypt.principals.find((p) => p.principal === "111122223333");
    expect(account).toMatchObject({
      conditional: true,
      denies: [expect.objectContaining({ sid: "NoOrdersDecrypt" })],
    });
  });

  it("keeps a principal a conditional Deny covers, marked conditional with the Deny", async () => {
    const model = await withExtraStatements([
      {
        Sid: "OnlyThroughS3",
        Effect: "Deny",
        Principal: { AWS: ORDERS },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringNotEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
    const report = whoCanAt(model, KEY, T, { operation: "Decrypt" });
    const orders = report.principals.find((p) => p.principal === ORDERS);
    expect(orders).toMatchObject({ conditional: true, conditionalOperations: ["Decrypt"] });
    expect(orders?.denies).toEqual([
      expect.objectContaining({ sid: "OnlyThroughS3", conditionResult: "unknown" }),
    ]);
    expect(report.removed).toEqual([]);
  });
});

describe("who-can with a NotPrincipal Deny and a grantee known only by its unique id", () => {
  const K = "arn:aws:kms:us-east-1:111122223333:key/k-np";
  const ADMIN_ROLE = "arn:aws:iam::111122223333:role/Admin";
  const ROOT = "arn:aws:iam::111122223333:root";
  const document = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" },
      {
        Sid: "OnlyAdminDecrypts",
        Effect: "Deny",
        NotPrincipal: { AWS: [ADMIN_ROLE, ROOT] },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    ],
  };
  const model = buildModel({
    keys: [key("k-np", { policies: [policyVersion(K, 1, at(0), document, "CreateKey-k-np")] })],
    grants: [grant("g-id", K, "AROAEXAMPLEADMINID1")],
  });

  it("keeps the grantee, conditional on the Deny it may be exempt from (it may be role/Admin)", () => {
    const report = whoCanAt(model, K, at(30), { operation: "Decrypt" });
    expect(report.removed).toEqual([]);
    const grantee = report.principals.find((p) => p.principal === "AROAEXAMPLEADMINID1");
    expect(grantee).toMatchObject({ conditional: true, operations: ["Decrypt"] });
    expect(grantee?.denies).toEqual([
      expect.objectContaining({
        sid: "OnlyAdminDecrypts",
        reason: expect.stringContaining(`it may be ${ADMIN_ROLE}, which NotPrincipal exempts`),
      }),
    ]);
  });
});
