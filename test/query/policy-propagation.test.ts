import { describe, expect, it } from "vitest";
import type { KeyRecord } from "../../src/model/index.js";
import { findings, reach, type UsageCall, usage } from "../../src/query/index.js";
import {
  ACCOUNT,
  ADMIN,
  allow,
  at,
  type BuiltCase,
  buildModel,
  call,
  key,
  keyArn,
  policyVersion,
  rootPolicy,
} from "./findings/case-builder.js";

/**
 * PutKeyPolicy is eventually consistent like every KMS change: for 5 minutes after a new version, a call it
 * refuses but the replaced version allowed is explained by the replaced version, and marked.
 */
const K = keyArn("k-1");
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const CHANGE = at(10);
const SECOND = 1000;

/** No root delegation: only the principals a version names can use the key. */
const onlyNamed = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });
const denyApp = { Sid: "DenyApp", Effect: "Deny", Principal: { AWS: APP }, Action: "kms:*", Resource: "*" };

function keyWithVersions(before: unknown, after: unknown): KeyRecord {
  const first = {
    ...policyVersion(K, 1, at(0), before, "CreateKey"),
    to: CHANGE,
    closedBy: ["PutKeyPolicy"],
  };
  return key("k-1", { policies: [first, policyVersion(K, 2, CHANGE, after, "PutKeyPolicy")] });
}

const calls = (parts: BuiltCase) => usage(buildModel(parts), { calls: true }).detail ?? [];
const attributionAt = (list: UsageCall[], time: number) =>
  list.find((entry) => entry.time === new Date(time).toISOString())?.attribution;

describe("a key policy version that removes the caller", () => {
  const parts: BuiltCase = {
    keys: [
      keyWithVersions(
        onlyNamed(allow("App", APP), allow("Admin", ADMIN, "kms:*")),
        onlyNamed(allow("Admin", ADMIN, "kms:*")),
      ),
    ],
    usage: [
      call("Decrypt", CHANGE, APP, K),
      call("Decrypt", CHANGE + 4 * 60 * SECOND, APP, K),
      call("Decrypt", CHANGE + 5 * 60 * SECOND, APP, K),
    ],
  };

  it("explains the caller's calls for 5 minutes by the replaced version, marked, and not after", () => {
    const list = calls(parts);
    for (const time of [CHANGE, CHANGE + 4 * 60 * SECOND]) {
      expect(attributionAt(list, time)).toMatchObject({
        basis: "keyPolicy",
        noneReason: null,
        policyChangePropagating: true,
        candidates: [{ sid: "App", policyVersion: 1, withinPropagationDelay: true, eventIds: ["CreateKey"] }],
      });
    }
    expect(attributionAt(list, CHANGE + 5 * 60 * SECOND)).toMatchObject({
      basis: "none",
      noneReason: "no-route",
    });
    expect(attributionAt(list, CHANGE + 5 * 60 * SECOND)?.policyChangePropagating).toBeUndefined();
  });

  it("is counted and explained in usage, and is not an unexplained use in reach or findings", () => {
    const report = usage(buildModel(parts), {});
    expect(report.calls[0]?.attribution).toMatchObject({ keyPolicy: 2, none: 1, policyChangePropagating: 2 });
    expect(report.caveats.join("\n")).toContain(
      "2 successful call(s) came less than 5 minutes after a PutKeyPolicy",
    );
    const used = reach(buildModel(parts), APP, { at: CHANGE + 6 * 60 * SECOND, from: at(0), to: at(20) });
    expect(used.usedButNotExplained?.map((row) => row.count)).toEqual([1]);
    const unexplained = findings(buildModel(parts)).findings.filter((f) => f.detector === "unexplained-use");
    expect(unexplained.map((finding) => finding.eventIds.length)).toEqual([1]);
  });
});

describe("a key policy version that adds a Deny on the caller", () => {
  it("explains a call in the next minutes by the replaced version, and a later one is denied by policy", () => {
    const parts: BuiltCase = {
      keys: [keyWithVersions(rootPolicy(), rootPolicy(denyApp))],
      usage: [
        call("Decrypt", CHANGE + 30 * SECOND, APP, K),
        call("Decrypt", CHANGE + 10 * 60 * SECOND, APP, K),
      ],
    };
    const list = calls(parts);
    expect(attributionAt(list, CHANGE + 30 * SECOND)).toMatchObject({
      basis: "iamDelegation",
      policyChangePropagating: true,
    });
    expect(attributionAt(list, CHANGE + 10 * 60 * SECOND)).toMatchObject({ noneReason: "denied-by-policy" });
  });
});

describe("a key policy version that still allows the caller", () => {
  it("judges the call on the new version alone, unmarked", () => {
    const parts: BuiltCase = {
      keys: [keyWithVersions(onlyNamed(allow("Old", APP)), onlyNamed(allow("New", APP)))],
      usage: [call("Decrypt", CHANGE + 30 * SECOND, APP, K)],
    };
    const attribution = attributionAt(calls(parts), CHANGE + 30 * SECOND);
    expect(attribution).toMatchObject({ basis: "keyPolicy", candidates: [{ sid: "New", policyVersion: 2 }] });
    expect(attribution?.policyChangePropagating).toBeUndefined();
  });
});

describe("several key policy versions within the delay", () => {
  const versions = (...documents: unknown[]) => {
    const times = [at(0), CHANGE, CHANGE, CHANGE + 2 * 60 * SECOND].slice(0, documents.length);
    return key("k-1", {
      policies: documents.map((document, i) => ({
        ...policyVersion(K, i + 1, times[i] ?? 0, document, `Policy-${i + 1}`),
        to: times[i + 1] ?? null,
      })),
    });
  };

  it("tries a version replaced in the second it was put (same-second PutKeyPolicy calls)", () => {
    const parts: BuiltCase = {
      keys: [
        versions(
          onlyNamed(allow("Admin", ADMIN)),
          onlyNamed(allow("App", APP)),
          onlyNamed(allow("Admin", ADMIN)),
        ),
      ],
      usage: [call("Decrypt", CHANGE, APP, K)],
    };
    expect(attributionAt(calls(parts), CHANGE)).toMatchObject({
      basis: "keyPolicy",
      policyChangePropagating: true,
      candidates: [{ sid: "App", policyVersion: 2, eventIds: ["Policy-2"] }],
    });
  });

  it("tries an older version replaced within the delay when the newer replaced one refuses too", () => {
    const parts: BuiltCase = {
      keys: [
        versions(
          onlyNamed(allow("App", APP)),
          onlyNamed(allow("Admin", ADMIN)),
          onlyNamed(allow("Admin", ADMIN)),
          onlyNamed(allow("Admin", ADMIN)),
        ),
      ],
      usage: [
        call("Decrypt", CHANGE + 3 * 60 * SECOND, APP, K),
        call("Decrypt", CHANGE + 6 * 60 * SECOND, APP, K),
      ],
    };
    const list = calls(parts);
    expect(attributionAt(list, CHANGE + 3 * 60 * SECOND)).toMatchObject({
      policyChangePropagating: true,
      candidates: [{ sid: "App", policyVersion: 1 }],
    });
    expect(attributionAt(list, CHANGE + 6 * 60 * SECOND)).toMatchObject({ noneReason: "no-route" });
  });
});
