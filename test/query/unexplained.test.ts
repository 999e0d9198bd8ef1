import { describe, expect, it } from "vitest";
import type { KeyRecord } from "../../src/model/index.js";
import { findings, reach, type UsageCall, usage } from "../../src/query/index.js";
import {
  ACCOUNT,
  allow,
  at,
  type BuiltCase,
  buildModel,
  call,
  grant,
  key,
  keyArn,
  policyVersion,
  rootPolicy,
} from "./findings/case-builder.js";

/**
 * Successful calls the replayed state refuses (an explicit Deny, the key state) or does not explain, as usage,
 * reach and findings show them: one per-call judgement for all three.
 */
const K = keyArn("k-1");
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const BAD = `arn:aws:iam::${ACCOUNT}:role/Bad`;
const EQ = `arn:aws:iam::${ACCOUNT}:role/Eq`;
const G = `arn:aws:iam::${ACCOUNT}:role/G`;

const denyBad = {
  Sid: "DenyBad",
  Effect: "Deny",
  Principal: { AWS: BAD },
  Action: "kms:*",
  Resource: "*",
};

/** Key k-1 under `document` from minute 0, Enabled, then Disabled from `disabledAt` if given. */
function keyWith(document: unknown, disabledAt?: number): KeyRecord {
  const enabled = { from: at(0), to: disabledAt ?? null, value: "Enabled" as const };
  const states = [
    { ...enabled, openedBy: ["CreateKey"], closedBy: [], confidence: "recorded" as const },
    ...(disabledAt === undefined
      ? []
      : [
          {
            from: disabledAt,
            to: null,
            value: "Disabled" as const,
            openedBy: ["DisableKey"],
            closedBy: [],
            confidence: "recorded" as const,
          },
        ]),
  ];
  return key("k-1", { states, policies: [policyVersion(K, 1, at(0), document, "CreateKey")] });
}

const detail = (parts: BuiltCase) => usage(buildModel(parts), { calls: true }).detail ?? [];
const callAt = (calls: UsageCall[], time: number, principal: string) =>
  calls.find((entry) => entry.time === new Date(time).toISOString() && entry.principal === principal);
const unexplainedFindings = (parts: BuiltCase) =>
  findings(buildModel(parts)).findings.filter((finding) => finding.detector === "unexplained-use");

describe("an explicit Deny beside the account's IAM delegation", () => {
  const parts: BuiltCase = {
    keys: [keyWith(rootPolicy(denyBad))],
    usage: [call("Decrypt", at(10), BAD, K), call("Decrypt", at(11), APP, K)],
  };

  it("usage reports the named role's successful call as denied by policy, naming the Deny", () => {
    const calls = detail(parts);
    expect(callAt(calls, at(10), BAD)?.attribution).toMatchObject({
      basis: "none",
      noneReason: "denied-by-policy",
      candidates: [],
      denies: [{ sid: "DenyBad", statement: 1 }],
    });
    // The Deny names Bad only: another role of the account is delegated outright, not conditionally.
    expect(callAt(calls, at(11), APP)?.attribution).toMatchObject({
      basis: "iamDelegation",
      conditional: false,
      noneReason: null,
    });
  });

  it("reach flags the same call, saying why", () => {
    const report = reach(buildModel(parts), BAD, { from: at(0), to: at(60) });
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({ key: K, count: 1, reasons: { "denied-by-policy": 1 } }),
    ]);
  });

  it("findings raise a high unexplained-use with the call as evidence", () => {
    const [finding, ...rest] = unexplainedFindings(parts);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: "high",
      eventIds: [parts.usage?.[0]?.eventId],
      blastRadius: { keys: [K], principals: [BAD] },
    });
    expect(finding?.explanation).toMatch(/explicit Deny.*"DenyBad"/);
    // A logged success judged against keytrail's reading of the policy: never a record of its own.
    expect(finding?.confidence).toBe("inferred");
    expect(finding?.confidenceReason).toMatch(/evaluation of the key policy/);
  });

  it("counts a ReEncrypt within one key once, though both of its sides are refused", () => {
    const reencrypt = call("ReEncrypt", at(12), BAD, K, { destinationKey: K });
    const [finding, ...rest] = unexplainedFindings({ ...parts, usage: [reencrypt] });
    expect(rest).toEqual([]);
    expect(finding?.explanation).toMatch(/^1 successful call\(s\) \(ReEncrypt\)/);
    expect(finding?.eventIds).toEqual([reencrypt.eventId]);
    expect(finding?.blastRadius.usage.calls).toBe(1);
  });
});

describe("key state", () => {
  const disabled = at(20);
  const parts: BuiltCase = {
    keys: [keyWith(rootPolicy(allow("App", APP)), disabled)],
    usage: [
      call("Decrypt", disabled, APP, K),
      call("Decrypt", at(22), APP, K),
      call("Decrypt", at(25), APP, K),
      call("DescribeKey", at(26), APP, K),
    ],
  };

  it("usage leaves a Decrypt 5 minutes after DisableKey unexplained, with the state that refused it", () => {
    expect(callAt(detail(parts), at(25), APP)?.attribution).toMatchObject({
      basis: "none",
      noneReason: "key-state",
      keyState: { blockedBy: "Disabled", withinPropagationDelay: false },
    });
  });

  it("explains calls within KMS's propagation delay (same second, 2 minutes later), marked and counted", () => {
    const calls = detail(parts);
    for (const time of [disabled, at(22)]) {
      expect(callAt(calls, time, APP)?.attribution).toMatchObject({
        basis: "keyPolicy",
        keyState: { blockedBy: "Disabled", withinPropagationDelay: true },
      });
    }
    // DescribeKey does not need an enabled key.
    expect(callAt(calls, at(26), APP)?.attribution?.keyState).toBeUndefined();
    const report = usage(buildModel(parts), {});
    const group = report.calls.find((entry) => entry.operation === "Decrypt");
    expect(group?.attribution).toMatchObject({ keyPolicy: 2, none: 1, stateChangePropagating: 2 });
    expect(report.caveats.join(" ")).toMatch(
      /2 successful call\(s\) came less than 5 minutes after a key state/,
    );
  });

  it("reach flags only the call usage leaves unexplained", () => {
    const report = reach(buildModel(parts), APP, { from: at(0), to: at(60) });
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({
        operation: "Decrypt",
        count: 1,
        first: new Date(at(25)).toISOString(),
        reasons: { "key-state": 1 },
      }),
    ]);
  });

  it("findings raise a high unexplained-use naming the state", () => {
    const [finding, ...rest] = unexplainedFindings(parts);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: "high", eventIds: [parts.usage?.[2]?.eventId] });
    expect(finding?.explanation).toMatch(/the key was Disabled/);
    expect(finding).toMatchObject({
      confidence: "inferred",
      confidenceReason: expect.stringMatching(/key state/),
    });
  });
});

describe("reach judges each call as usage does", () => {
  const constrained = {
    ...grant("g-eq", K, EQ),
    constraints: { encryptionContextSubset: null, encryptionContextEquals: { Dept: "Finance" } },
  };
  const revoked = { ...grant("g-rev", K, G), to: at(30), closeReason: "revoked" as const };
  const tenantDeny = {
    Sid: "CondDeny",
    Effect: "Deny",
    Principal: { AWS: APP },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: { StringNotEquals: { "kms:EncryptionContext:tenant": "t1" } },
  };
  const parts: BuiltCase = {
    keys: [keyWith({ Version: "2012-10-17", Statement: [allow("App", APP), tenantDeny] })],
    grants: [constrained, revoked],
    usage: [
      // The grant's constraint, checked against the logged context: case-insensitive key, exact value.
      call("Decrypt", at(10), EQ, K, { encryptionContext: '{"dept":"Finance","tenant":"t1"}' }),
      call("Decrypt", at(11), EQ, K, { encryptionContext: '{"DEPT":"Finance"}' }),
      // The conditional Deny decided by the logged context.
      call("Decrypt", at(12), APP, K, { encryptionContext: '{"tenant":"t2"}' }),
      call("Decrypt", at(13), APP, K, { encryptionContext: '{"tenant":"t1"}' }),
      // 2 minutes after RevokeGrant: within the propagation delay.
      call("Decrypt", at(32), G, K, { encryptionContext: '{"tenant":"t1"}' }),
    ],
  };

  it("flags in reach exactly the calls usage leaves unexplained", () => {
    const model = buildModel(parts);
    const unexplainedInUsage = (usage(model, { calls: true }).detail ?? [])
      .filter((entry) => entry.attribution?.basis === "none")
      .map((entry) => entry.eventId)
      .sort();
    expect(unexplainedInUsage).toEqual(
      [parts.usage?.[0], parts.usage?.[2]].map((row) => row?.eventId).sort(),
    );
    const flagged = [EQ, APP, G]
      .flatMap((principal) => reach(model, principal, { from: at(0), to: at(60) }).usedButNotExplained)
      .flatMap((use) => use.eventIds)
      .sort();
    expect(flagged).toEqual(unexplainedInUsage);
  });
});

describe("calls whose key is not resolved", () => {
  it("counts them under basis none, so that the basis counts sum to count", () => {
    const parts: BuiltCase = {
      keys: [keyWith(rootPolicy())],
      usage: [
        call("GenerateRandom", at(1), APP, K, { key: null }),
        call("Decrypt", at(2), APP, K, { key: null, keyRef: "alias/gone" }),
      ],
    };
    const report = usage(buildModel(parts), {});
    for (const group of report.calls) {
      const { grant: g, keyPolicy, iamDelegation, none } = group.attribution;
      expect(g + keyPolicy + iamDelegation + none).toBe(group.count);
    }
    const reasons = report.calls.map((group) => [group.operation, group.attribution.noneReasons]);
    expect(reasons.sort()).toEqual([
      ["Decrypt", { "key-unknown": 1 }],
      ["GenerateRandom", { "no-key": 1 }],
    ]);
    // Neither is evidence of anything: no unexplained-call caveat, no finding.
    expect(report.caveats.join(" ")).not.toMatch(/no grant or key-policy statement/);
    expect(unexplainedFindings(parts)).toEqual([]);
  });
});

describe("unexplained-use severity", () => {
  it("is medium when a known policy and grants simply do not cover the caller", () => {
    const parts: BuiltCase = {
      keys: [keyWith({ Version: "2012-10-17", Statement: [allow("App", APP)] })],
      usage: [call("Decrypt", at(10), G, K), call("Decrypt", at(11), G, K)],
    };
    const [finding, ...rest] = unexplainedFindings(parts);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: "medium", eventIds: parts.usage?.map((row) => row.eventId) });
    expect(finding?.explanation).toMatch(/^2 successful call\(s\).*no grant or key-policy statement/);
    expect(finding).toMatchObject({
      confidence: "inferred",
      confidenceReason: expect.stringMatching(/absence/),
    });
  });

  it("is not raised for calls under an unknown key policy", () => {
    const parts: BuiltCase = { keys: [key("k-1")], usage: [call("Decrypt", at(10), G, K)] };
    expect(unexplainedFindings(parts)).toEqual([]);
  });
});
