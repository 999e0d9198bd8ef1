import { describe, expect, it } from "vitest";
import { normalizePrincipal } from "../../src/events/principal.js";
import { type GrantInput, grantAllows, includesCreateGrant } from "../../src/policy/index.js";

const grant = (operations: string[], constraints: GrantInput["constraints"] = null): GrantInput => ({
  grantId: "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60",
  grantee: normalizePrincipal("arn:aws:iam::111122223333:role/LambdaRole"),
  retiringPrincipal: normalizePrincipal("arn:aws:iam::111122223333:role/AdminRole"),
  operations,
  constraints,
});
const subset = { encryptionContextSubset: { Department: "IT" }, encryptionContextEquals: null };
const equals = { encryptionContextSubset: null, encryptionContextEquals: { Department: "IT" } };

describe("grantAllows", () => {
  it.each([
    ["operation in the grant", grant(["Decrypt"]), "Decrypt", undefined, true],
    ["operation not in the grant", grant(["Encrypt"]), "Decrypt", undefined, false],
    ["ReEncrypt on the source needs ReEncryptFrom", grant(["ReEncryptTo"]), "ReEncrypt", undefined, false],
    ["subset, context unknown", grant(["Decrypt"], subset), "Decrypt", undefined, "unknown"],
    [
      "subset with extra pairs",
      grant(["Decrypt"], subset),
      "Decrypt",
      { Department: "IT", Project: "x" },
      true,
    ],
    ["subset, key in another case", grant(["Decrypt"], subset), "Decrypt", { department: "IT" }, true],
    ["subset, value in another case", grant(["Decrypt"], subset), "Decrypt", { Department: "it" }, false],
    ["subset, no context", grant(["Decrypt"], subset), "Decrypt", null, false],
    ["equals, exact", grant(["Decrypt"], equals), "Decrypt", { DEPARTMENT: "IT" }, true],
    ["equals, extra pair", grant(["Decrypt"], equals), "Decrypt", { Department: "IT", Project: "x" }, false],
    [
      "constraints ignored for operations without a context",
      grant(["DescribeKey", "Sign"], equals),
      "Sign",
      undefined,
      true,
    ],
  ] as const)("%s", (_name, g, operation, encryptionContext, expected) => {
    expect(grantAllows(g, operation, { encryptionContext }).allowed).toBe(expected);
  });

  it("checks the destination side of ReEncrypt as ReEncryptTo", () => {
    expect(grantAllows(grant(["ReEncryptTo"]), "ReEncrypt", { side: "destination" })).toMatchObject({
      allowed: true,
      action: "ReEncryptTo",
    });
  });

  it("returns a grant via with its id and constraints", () => {
    expect(grantAllows(grant(["Decrypt"], subset), "Decrypt").via).toEqual({
      type: "grant",
      grantId: "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60",
      constraints: subset,
    });
  });

  it("tells grants that include CreateGrant", () => {
    expect(includesCreateGrant(grant(["Decrypt", "CreateGrant"]))).toBe(true);
    expect(includesCreateGrant(grant(["Decrypt"]))).toBe(false);
  });
});
