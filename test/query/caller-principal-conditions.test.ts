import { describe, expect, it } from "vitest";
import { type UsageCall, usage, whoCanAt } from "../../src/query/index.js";
import { KEY_ARN } from "../events/helpers.js";
import { createKeyRecord, decryptRecord, replayRecords } from "../support/trail-records.js";
import { PARTNER, principalConditionsCase, session } from "./principal-conditions-case.js";

/**
 * Conditions on aws:PrincipalArn and aws:PrincipalType: decided for a call whose record names the caller
 * (usage's attribution, reach's unexplained calls), unknown in who-can for an account's delegation, where no
 * caller is known. A role's ARN is known but for its IAM path, so a condition the path could change stays
 * undecided. And an Allow with NotPrincipal naming one session leaves out that session's calls only.
 */

const model = principalConditionsCase;

const attributionOf = (calls: UsageCall[], eventId: string) =>
  calls.find((call) => call.eventId === eventId)?.attribution;

describe("aws:PrincipalArn and aws:PrincipalType of a logged caller", () => {
  it("decides a role's call through the account's delegation outright", async () => {
    const calls = usage(await model, { calls: true }).detail ?? [];
    expect(attributionOf(calls, "role-call")).toMatchObject({
      basis: "iamDelegation",
      conditional: false,
      candidates: [expect.objectContaining({ sid: "PartnerRoles", conditionResult: true })],
    });
  });

  it("finds a user's call refused by the Deny on users (and not a role's ARN)", async () => {
    const calls = usage(await model, { calls: true }).detail ?? [];
    expect(attributionOf(calls, "user-call")).toMatchObject({
      basis: "none",
      noneReason: "denied-by-policy",
      denies: [expect.objectContaining({ sid: "NoUsers" })],
    });
  });

  it("leaves an exact role ARN undecided: the trail does not give the role's path", async () => {
    const calls = usage(await model, { calls: true }).detail ?? [];
    const exact = attributionOf(calls, "reports-call")?.candidates.find((c) => c.sid === "ExactRole");
    expect(exact).toMatchObject({
      conditionResult: "unknown",
      undecided: [
        expect.objectContaining({ key: "aws:PrincipalArn", reason: expect.stringContaining("IAM path") }),
      ],
    });
  });

  it("who-can, with no caller, leaves them unknown on the account's delegation", async () => {
    const report = whoCanAt(await model, KEY_ARN, Date.parse("2024-03-02T09:30:00Z"), {
      operation: "Decrypt",
    });
    const partner = report.principals.find((entry) => entry.principal === PARTNER);
    expect(partner).toMatchObject({ kind: "account", conditional: true });
    expect(partner?.via.every((via) => via.conditionResult === "unknown")).toBe(true);
  });
});

describe("an Allow with NotPrincipal naming one assumed-role session", () => {
  const trail = replayRecords([
    createKeyRecord("2024-03-02T09:00:00Z", {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllButOneSession",
          Effect: "Allow",
          NotPrincipal: { AWS: `arn:aws:sts::${PARTNER}:assumed-role/Batch/untrusted` },
          Action: "kms:Decrypt",
          Resource: "*",
        },
      ],
    }),
    decryptRecord(session("Batch", "nightly"), "2024-03-02T10:00:00Z", "other-session"),
    decryptRecord(session("Batch", "untrusted"), "2024-03-02T10:01:00Z", "excluded-session"),
  ]);

  it("credits it with the role's other sessions, not with the session it leaves out", async () => {
    const calls = usage(await trail, { calls: true }).detail ?? [];
    expect(attributionOf(calls, "other-session")).toMatchObject({
      basis: "keyPolicy",
      candidates: [expect.objectContaining({ sid: "AllButOneSession" })],
    });
    expect(attributionOf(calls, "excluded-session")).toMatchObject({ basis: "none", noneReason: "no-route" });
  });
});
