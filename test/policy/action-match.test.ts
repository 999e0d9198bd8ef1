import { describe, expect, it } from "vitest";
import { actionPatternCovers, expandActions, KMS_ACTIONS, kmsActionFor } from "../../src/policy/index.js";

describe("KMS action catalogue", () => {
  it("comes from iam-data and names the IAM actions, not API calls", () => {
    expect(KMS_ACTIONS).toContain("Decrypt");
    expect(KMS_ACTIONS).toContain("ReEncryptFrom");
    expect(KMS_ACTIONS).not.toContain("ReEncrypt");
    expect(KMS_ACTIONS.length).toBeGreaterThan(50);
  });
  it.each([
    ["Decrypt", "source", "Decrypt"],
    ["kms:decrypt", "source", "Decrypt"],
    ["ReEncrypt", "source", "ReEncryptFrom"],
    ["ReEncrypt", "destination", "ReEncryptTo"],
    ["NotAnAction", "source", null],
  ] as const)("%s (%s) -> %s", (operation, side, expected) => {
    expect(kmsActionFor(operation, side)).toBe(expected);
  });
});

describe("action wildcards", () => {
  it.each([
    ["*", "Decrypt", true],
    ["kms:*", "ScheduleKeyDeletion", true],
    ["KMS:DECRYPT", "Decrypt", true],
    ["kms:Decrypt", "Encrypt", false],
    ["s3:*", "Decrypt", false],
    ["kms:Re?ncrypt*", "ReEncryptFrom", true],
    ["kms:*", "Decrypt", true],
  ] as const)("%s covers %s: %s", (pattern, action, expected) => {
    expect(actionPatternCovers(pattern, action)).toBe(expected);
  });

  it("expands kms:Re* to everything starting with Re, not only re-encryption", () => {
    expect(expandActions({ kind: "Action", patterns: ["kms:Re*"] })).toEqual([
      "ReEncryptFrom",
      "ReEncryptTo",
      "ReplicateKey",
      "RetireGrant",
      "RevokeGrant",
    ]);
  });
  it("expands kms:GenerateDataKey* to the four data-key operations", () => {
    expect(expandActions({ kind: "Action", patterns: ["kms:GenerateDataKey*"] })).toEqual([
      "GenerateDataKey",
      "GenerateDataKeyPair",
      "GenerateDataKeyPairWithoutPlaintext",
      "GenerateDataKeyWithoutPlaintext",
    ]);
  });
  it("expands NotAction to the rest of the catalogue", () => {
    const actions = expandActions({ kind: "NotAction", patterns: ["kms:Decrypt", "kms:Schedule*"] });
    expect(actions).not.toContain("Decrypt");
    expect(actions).not.toContain("ScheduleKeyDeletion");
    expect(actions).toHaveLength(KMS_ACTIONS.length - 2);
  });
});
