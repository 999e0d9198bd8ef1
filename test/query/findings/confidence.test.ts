import { describe, expect, it } from "vitest";
import type { PolicyVersion } from "../../../src/model/index.js";
import { inferred, RECORDED, weakest } from "../../../src/query/findings/confidence.js";
import { findings } from "../../../src/query/index.js";
import { KEY_ARN, KEY_RESOURCES, kmsRecord } from "../../events/helpers.js";
import { createKeyRecord, replayRecords } from "../../support/trail-records.js";
import type { BuiltCase } from "./case-builder.js";
import {
  ACCOUNT,
  ADMIN,
  allow,
  at,
  buildModel,
  call,
  event,
  found,
  key,
  keyArn,
  OUTSIDER,
  PARTNER,
  policyVersion,
  REGION,
  rootPolicy,
} from "./case-builder.js";

/** Each detector's confidence (docs/findings.md#confidence): recorded in one case, lowered with its reason in another. */

const K = keyArn("k-1");
const opened = rootPolicy(allow("PartnerRead", `arn:aws:iam::${OUTSIDER}:root`));
const noRoot = { Version: "2012-10-17", Statement: [allow("Admin", ADMIN, "kms:*")] };
const version = (n: number, document: unknown, overrides: Partial<PolicyVersion> = {}) => ({
  ...policyVersion(K, n, at((n - 1) * 10), document, `PutKeyPolicy-${n}`),
  ...overrides,
});
const withVersions = (...versions: PolicyVersion[]) => key("k-1", { policies: versions });
const trailCall = (name: string, minutes: number, details: Record<string, unknown>) =>
  event(name, at(minutes), ADMIN, [], { details: { trailName: "main", ...details } });

describe("policy-opened confidence", () => {
  it("is recorded when the version before is logged and did not trust the outsider", () => {
    const [finding] = found(
      { keys: [withVersions(version(1, rootPolicy()), version(2, opened))] },
      "policy-opened",
    );
    expect(finding).toMatchObject({ confidence: "recorded", confidenceReason: null });
  });

  it("is recorded when the key was created trusting the outsider", () => {
    const create = event("CreateKey", at(0), ADMIN, [K]);
    const [finding] = found(
      { keys: [withVersions(version(1, opened, { openedBy: [create.eventId] }))], events: [create] },
      "policy-opened",
    );
    expect(finding?.explanation).toContain("the key was created trusting them");
    expect(finding?.confidence).toBe("recorded");
  });

  it("is inferred when the first version seen is a PutKeyPolicy: the policy it replaced may have trusted them", () => {
    const [finding] = found({ keys: [withVersions(version(1, opened))] }, "policy-opened");
    expect(finding?.explanation).toContain("the previous version is not in the trail");
    expect(finding).toMatchObject({
      confidence: "inferred",
      confidenceReason:
        "the key policy before version 1 is not in the trail: it may already have trusted them",
    });
  });

  it("is inferred when logging stopped between the two versions: a PutKeyPolicy may be missing", () => {
    const parts = {
      keys: [withVersions(version(1, rootPolicy()), version(2, opened))],
      events: [trailCall("StopLogging", 3, {}), trailCall("StartLogging", 6, {})],
    };
    const [finding] = found(parts, "policy-opened");
    expect(finding?.confidence).toBe("inferred");
    expect(finding?.confidenceReason).toMatch(/^logging-stopped from .* falls between versions 1 and 2/);
    // A single-Region trail of another Region says nothing about this key's policy.
    const elsewhere = [trailCall("CreateTrail", 1, { isMultiRegion: false }), ...parts.events].map((e) => ({
      ...e,
      region: "eu-west-1",
    }));
    expect(found({ ...parts, events: elsewhere }, "policy-opened")[0]?.confidence).toBe("recorded");
  });

  it("is unknown when the version's order in its second is not logged", () => {
    const [finding] = found(
      { keys: [withVersions(version(1, rootPolicy()), version(2, opened, { confidence: "unknown" }))] },
      "policy-opened",
    );
    expect(finding?.confidence).toBe("unknown");
    expect(finding?.confidenceReason).toContain("version 2 was put in the same second as another");
  });
});

describe("root-delegation-removed confidence", () => {
  it("is recorded between two logged versions, inferred when the first is KMS's default policy", () => {
    const logged = found(
      { keys: [withVersions(version(1, rootPolicy()), version(2, noRoot))] },
      "root-delegation-removed",
    );
    expect(logged.map((finding) => finding.confidence)).toEqual(["recorded"]);
    const [finding] = found(
      { keys: [withVersions(version(1, rootPolicy(), { confidence: "inferred" }), version(2, noRoot))] },
      "root-delegation-removed",
    );
    expect(finding?.confidence).toBe("inferred");
    expect(finding?.confidenceReason).toContain("version 1 is KMS's default policy");
  });
});

describe("reencrypt-burst confidence", () => {
  const NEW = keyArn("k-new");
  const burst = (destination: string) =>
    [0, 1, 2].map((i) => call("ReEncrypt", at(30 + i), ADMIN, K, { destinationKey: destination }));

  it("is recorded for a destination created in the trail, inferred for one only first seen lately", () => {
    const created = found(
      { keys: [key("k-1"), key("k-new", { createdAt: at(29), firstSeen: at(29) })], usage: burst(NEW) },
      "reencrypt-burst",
    );
    expect(created.map((finding) => finding.confidence)).toEqual(["recorded"]);
    const [seen] = found(
      { keys: [key("k-1"), key("k-new", { createdAt: null, firstSeen: at(29) })], usage: burst(NEW) },
      "reencrypt-burst",
    );
    expect(seen?.confidence).toBe("inferred");
    expect(seen?.confidenceReason).toContain(`${NEW} was not created in the trail`);
  });

  it("is recorded into another account's key, whose ARN names the account", () => {
    const [finding] = found(
      { keys: [key("k-1")], usage: burst(keyArn("k-far", OUTSIDER)) },
      "reencrypt-burst",
    );
    expect(finding?.confidence).toBe("recorded");
  });
});

describe("logging-blind-spot confidence", () => {
  const otherRegion = { account: ACCOUNT, region: "eu-west-1", from: at(0), to: at(60), records: 5 };
  const stop = trailCall("StopLogging", 10, {});

  it("is recorded when the trail blinds only Regions the records tell", () => {
    const [home] = found({ events: [stop] }, "logging-blind-spot");
    expect(home).toMatchObject({ region: REGION, confidence: "recorded", confidenceReason: null });
    const multi = trailCall("CreateTrail", 1, { isMultiRegion: true });
    const [both] = found({ events: [multi, stop], coverage: [otherRegion] }, "logging-blind-spot");
    expect(both?.explanation).toContain("eu-west-1");
    expect(both?.confidence).toBe("recorded");
  });

  it("counts the calls still seen on the account's keys in the blinded Regions only", () => {
    const single = trailCall("CreateTrail", 1, { isMultiRegion: false });
    const elsewhere = keyArn("k-eu").replace(REGION, "eu-west-1");
    const usage = [call("Decrypt", at(20), ADMIN, K), call("Decrypt", at(21), ADMIN, elsewhere)];
    const [finding] = found({ events: [single, stop], coverage: [otherRegion], usage }, "logging-blind-spot");
    expect(finding?.explanation).toContain(
      "; 1 calls on this account's keys inside it are known only from other trails",
    );
    expect(finding?.blastRadius.keys).toEqual([K]);
  });

  it("is inferred when no record tells the trail's scope and another Region is assumed blind", () => {
    const [finding] = found({ events: [stop], coverage: [otherRegion] }, "logging-blind-spot");
    expect(finding?.confidence).toBe("inferred");
    expect(finding?.confidenceReason).toContain("covers eu-west-1");
  });
});

describe("findings that restate one record", () => {
  it("are recorded: a foreign CreateGrant, a DisableKey of a key in use, a denied burst", () => {
    const parts: BuiltCase = {
      keys: [key("k-1")],
      events: [event("CreateGrant", at(5), PARTNER, [K]), event("DisableKey", at(50), ADMIN, [K])],
      usage: [
        call("Decrypt", at(1), ADMIN, K),
        ...[20, 21, 22].map((m) =>
          call("Decrypt", at(m), PARTNER, K, { errorCode: "AccessDeniedException" }),
        ),
      ],
    };
    const all = findings(buildModel(parts)).findings;
    expect(all.map((finding) => [finding.detector, finding.confidence, finding.confidenceReason])).toEqual([
      ["foreign-create-grant", "recorded", null],
      ["denied-burst", "recorded", null],
      ["key-in-use-disabled", "recorded", null],
    ]);
  });
});

describe("findings on calls whose key came from the alias history", () => {
  const fromAlias = { keysFromAlias: ["key" as const] };
  const aliasReason = (calls: number) =>
    expect.stringMatching(new RegExp(`^${calls} of the calls named an alias and no key`));

  it("are inferred when they stand only on such calls, saying how many", () => {
    const parts: BuiltCase = {
      keys: [key("k-1")],
      events: [event("DisableKey", at(50), ADMIN, [K])],
      usage: [
        call("Decrypt", at(1), ADMIN, K, fromAlias),
        ...[30, 31, 32].map((m) => call("Decrypt", at(m), PARTNER, K, m === 31 ? fromAlias : {})),
      ],
    };
    expect(
      findings(buildModel(parts)).findings.map((f) => [f.detector, f.confidence, f.confidenceReason]),
    ).toEqual([
      // Two logged calls of the outsider are no burst: the third, on a key from the alias history, makes it.
      ["external-use-burst", "inferred", aliasReason(1)],
      // The outsider's logged calls show the key in use: recorded.
      ["key-in-use-disabled", "recorded", null],
    ]);
    const adminOnly = { ...parts, usage: parts.usage?.slice(0, 1) };
    expect(found(adminOnly, "key-in-use-disabled")).toMatchObject([
      { confidence: "inferred", confidenceReason: aliasReason(1) },
    ]);
  });

  it("stay recorded when the logged calls alone make them", () => {
    const parts: BuiltCase = {
      keys: [key("k-1")],
      usage: [
        ...[30, 31, 32, 33].map((m) => call("Decrypt", at(m), PARTNER, K, m === 31 ? fromAlias : {})),
        // A denial is logged whatever key it was on.
        ...[40, 41, 42].map((m) =>
          call("Decrypt", at(m), PARTNER, K, { errorCode: "AccessDeniedException", ...fromAlias }),
        ),
      ],
    };
    expect(findings(buildModel(parts)).findings.map((f) => [f.detector, f.confidence])).toEqual([
      ["external-use-burst", "recorded"],
      ["denied-burst", "recorded"],
    ]);
  });

  it("count re-encryptions whose destination came from the alias history", () => {
    const DEST = keyArn("k-out", OUTSIDER);
    const reencrypt = (m: number, destinationFromAlias: boolean) =>
      call("ReEncrypt", at(m), ADMIN, K, {
        destinationKey: DEST,
        keysFromAlias: destinationFromAlias ? ["destinationKey"] : [],
      });
    const parts: BuiltCase = {
      keys: [key("k-1")],
      usage: [reencrypt(1, false), reencrypt(2, true), reencrypt(3, true)],
    };
    expect(found(parts, "reencrypt-burst")).toMatchObject([
      { confidence: "inferred", confidenceReason: aliasReason(2) },
    ]);
  });

  it("add the alias history to what an unexplained use rests on", () => {
    // The outsider is in no statement: nothing explains its calls.
    const parts: BuiltCase = {
      keys: [withVersions(version(1, rootPolicy()))],
      usage: [call("Decrypt", at(20), PARTNER, K, fromAlias), call("Decrypt", at(21), PARTNER, K)],
    };
    const [finding] = found(parts, "unexplained-use");
    expect(finding?.confidence).toBe("inferred");
    // What the attribution rests on, then the alias history, in one reason.
    expect(finding?.confidenceReason).toMatch(
      /^rests on an absence: .*; 1 of the calls named an alias and no key/,
    );
  });
});

describe("weakest", () => {
  it("keeps the lowest level and the reasons given at it, once each", () => {
    const unknown = { confidence: "unknown" as const, confidenceReason: "u" };
    expect(weakest(null, RECORDED)).toEqual(RECORDED);
    expect(weakest(inferred("a"), null, inferred("b"), inferred("a"))).toEqual(inferred("a; b"));
    expect(weakest(inferred("a"), unknown)).toEqual(unknown);
  });
});

describe("policy versions put in the same second, replayed", () => {
  it("leave both comparisons unknown: the trail does not tell which put came last", async () => {
    const put = (eventID: string, sid: string) =>
      kmsRecord({
        eventName: "PutKeyPolicy",
        eventTime: "2024-03-02T09:00:00Z",
        eventID,
        requestParameters: {
          keyId: KEY_ARN,
          policyName: "default",
          policy: JSON.stringify(rootPolicy(allow(sid, `arn:aws:iam::${OUTSIDER}:root`, "kms:*"))),
        },
        resources: KEY_RESOURCES,
      });
    const model = await replayRecords([
      createKeyRecord("2024-03-02T08:00:00Z", rootPolicy()),
      put("put-a", "OutsiderA"),
      put("put-b", "OutsiderB"),
    ]);
    const opened = findings(model).findings.filter((finding) => finding.detector === "policy-opened");
    expect(opened.length).toBeGreaterThan(0);
    for (const finding of opened) {
      expect(finding.confidence).toBe("unknown");
      expect(finding.confidenceReason).toContain("was put in the same second as another");
    }
  });
});
