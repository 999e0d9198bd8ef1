import { describe, expect, it } from "vitest";
import { findings } from "../../../src/query/index.js";
import {
  ACCOUNT,
  ADMIN,
  APP,
  alias,
  allow,
  at,
  buildModel,
  call,
  event,
  found,
  grant,
  key,
  keyArn,
  OUTSIDER,
  PARTNER,
  policyVersion,
  rootPolicy,
} from "./case-builder.js";

/** Each detector on a hand-built case: one that must fire, one just on the other side of its rule. */

const K = keyArn("k-1");
const withPolicies = (...documents: unknown[]) =>
  key("k-1", {
    policies: documents.map((doc, i) => policyVersion(K, i + 1, at(i * 10), doc, `PutKeyPolicy-${i + 1}`)),
  });

describe("policy-opened", () => {
  it("names the newly trusted account and statement, and says the previous version did not trust it", () => {
    const [finding, ...rest] = found(
      {
        keys: [withPolicies(rootPolicy(), rootPolicy(allow("PartnerRead", `arn:aws:iam::${OUTSIDER}:root`)))],
      },
      "policy-opened",
    );
    expect(rest).toEqual([]);
    expect(finding?.explanation).toContain(
      `version 2 of ${K} added account ${OUTSIDER} (statement PartnerRead)`,
    );
    expect(finding?.explanation).toContain("previous version did not trust");
    expect(finding?.eventIds).toEqual(["PutKeyPolicy-2"]);
    expect(finding?.severity).toBe("high");
  });

  it("rates an unconditional * critical", () => {
    const [finding] = found(
      { keys: [withPolicies(rootPolicy(), rootPolicy(allow("Anyone", "*")))] },
      "policy-opened",
    );
    expect(finding?.severity).toBe("critical");
  });

  it("stays quiet when a version adds a principal of the key's own account, or keeps an outsider already trusted", () => {
    const partner = allow("PartnerRead", PARTNER);
    expect(
      found({ keys: [withPolicies(rootPolicy(), rootPolicy(allow("App", APP)))] }, "policy-opened"),
    ).toEqual([]);
    const both = found(
      { keys: [withPolicies(rootPolicy(partner), rootPolicy(partner, allow("App", APP)))] },
      "policy-opened",
    );
    expect(both.map((finding) => finding.eventIds)).toEqual([["PutKeyPolicy-1"]]);
  });
});

describe("root-delegation-removed", () => {
  it("fires when a version drops the account root statement", () => {
    const noRoot = { Version: "2012-10-17", Statement: [allow("Admin", ADMIN, "kms:*")] };
    const [finding] = found({ keys: [withPolicies(rootPolicy(), noRoot)] }, "root-delegation-removed");
    expect(finding?.eventIds).toEqual(["PutKeyPolicy-2"]);
    expect(finding?.explanation).toContain(`own account ${ACCOUNT}`);
  });

  it("does not fire while the root statement stays", () => {
    expect(
      found({ keys: [withPolicies(rootPolicy(), rootPolicy(allow("App", APP)))] }, "root-delegation-removed"),
    ).toEqual([]);
  });
});

describe("grant-outside-account", () => {
  it("fires for a grantee of another account and not for one of the key's account", () => {
    const cases = found(
      { keys: [key("k-1")], grants: [grant("g-out", K, PARTNER), grant("g-in", K, APP)] },
      "grant-outside-account",
    );
    expect(cases.map((finding) => finding.eventIds)).toEqual([["CreateGrant-g-out"]]);
    expect(cases[0]?.blastRadius.principals).toContain(PARTNER);
  });
});

describe("foreign-create-grant", () => {
  it("fires for CreateGrant by a role of another account, succeeded (high) or denied (medium)", () => {
    const ok = event("CreateGrant", at(5), PARTNER, [K]);
    const denied = event("CreateGrant", at(6), PARTNER, [K], {
      error: { code: "AccessDeniedException", message: null },
    });
    const cases = found({ keys: [key("k-1")], events: [ok, denied] }, "foreign-create-grant");
    expect(cases.map((finding) => finding.severity)).toEqual(["high", "medium"]);
  });

  it("does not fire for the key's own account or for an AWS service acting for it", () => {
    const own = event("CreateGrant", at(5), ADMIN, [K]);
    const viaService = event("CreateGrant", at(6), PARTNER, [K], { invokedBy: "ec2.amazonaws.com" });
    expect(found({ keys: [key("k-1")], events: [own, viaService] }, "foreign-create-grant")).toEqual([]);
  });
});

describe("alias-repointed", () => {
  const OLD = keyArn("k-old");
  const setup = (targetCreatedAt: number, target = keyArn("k-new")) => ({
    keys: [
      key("k-old", { createdAt: null }),
      key("k-new", {
        createdAt: targetCreatedAt,
        createdBy: ADMIN,
        createdByEventId: `CreateKey-${targetCreatedAt}`,
      }),
    ],
    aliases: [
      alias("alias/app", OLD, at(0), at(30), "CreateAlias-0"),
      alias("alias/app", target, at(30), null, `UpdateAlias-${at(30)}`),
    ],
    events: [
      event("CreateKey", targetCreatedAt, ADMIN, [keyArn("k-new")]),
      event("UpdateAlias", at(30), ADMIN, [target]),
    ],
  });

  it("fires when the new target was created minutes before by the same principal", () => {
    const [finding] = found(setup(at(28)), "alias-repointed");
    expect(finding?.explanation).toContain("created 2 min earlier by the same principal");
    expect(finding?.eventIds).toEqual([`UpdateAlias-${at(30)}`, `CreateKey-${at(28)}`]);
  });

  it("fires for a target in another account however old", () => {
    const foreign = keyArn("k-far", OUTSIDER);
    const [finding] = found(setup(at(-5000), foreign), "alias-repointed");
    expect(finding?.severity).toBe("critical");
  });

  it("does not fire for a same-account target older than the threshold", () => {
    expect(found(setup(at(-120)), "alias-repointed")).toEqual([]);
  });
});

describe("key-in-use-disabled", () => {
  it("fires for DisableKey of a key used the day before, and not for a key never used", () => {
    const unused = keyArn("k-2");
    const cases = found(
      {
        keys: [key("k-1"), key("k-2")],
        usage: [call("Decrypt", at(1), APP, K)],
        events: [
          event("DisableKey", at(60 * 24), ADMIN, [K]),
          event("ScheduleKeyDeletion", at(60 * 24), ADMIN, [unused]),
        ],
      },
      "key-in-use-disabled",
    );
    expect(cases.map((finding) => finding.blastRadius.keys)).toEqual([[K]]);
    expect(cases[0]?.blastRadius.principals).toContain(APP);
  });

  it("does not count use older than --in-use", () => {
    const model = buildModel({
      keys: [key("k-1")],
      usage: [call("Decrypt", at(1), APP, K)],
      events: [event("DisableKey", at(60 * 24 * 10), ADMIN, [K])],
    });
    expect(findings(model).findings.filter((f) => f.detector === "key-in-use-disabled")).toEqual([]);
    expect(
      findings(model, { thresholds: { inUseMs: 30 * 86_400_000 } }).findings.filter(
        (f) => f.detector === "key-in-use-disabled",
      ),
    ).toHaveLength(1);
  });
});

describe("bursts", () => {
  const DEST = keyArn("k-dest", OUTSIDER);
  const reencrypts = (count: number, destination: string) =>
    Array.from({ length: count }, (_, i) =>
      call("ReEncrypt", at(i), PARTNER, K, { destinationKey: destination }),
    );

  it("reencrypt-burst fires at --burst-count calls into a foreign key, not below", () => {
    expect(found({ keys: [key("k-1")], usage: reencrypts(3, DEST) }, "reencrypt-burst")).toHaveLength(1);
    expect(found({ keys: [key("k-1")], usage: reencrypts(2, DEST) }, "reencrypt-burst")).toEqual([]);
  });

  it("sizes the blast radius from the window's calls on its keys, a ReEncrypt between two of them once", () => {
    const usage = [
      ...reencrypts(3, DEST),
      call("Decrypt", at(1), APP, DEST, { errorCode: "AccessDeniedException" }),
      call("Decrypt", at(1), APP, K, { errorCode: "KMSInvalidStateException" }),
      call("Decrypt", at(1), APP, keyArn("k-other")),
      call("ReEncrypt", at(2), APP, K, { destinationKey: DEST, errorCode: "AccessDeniedException" }),
      call("Decrypt", at(3), APP, K),
    ];
    const [finding] = found({ keys: [key("k-1")], usage }, "reencrypt-burst");
    expect(finding?.blastRadius.keys).toEqual([K, DEST]);
    expect(finding?.blastRadius.usage).toMatchObject({ calls: 6, failed: 3, denied: 2 });
    expect(finding?.blastRadius.usage.principals).toEqual([APP, PARTNER].sort());
  });

  it("reencrypt-burst ignores re-encryption into an old key of the same account", () => {
    const old = keyArn("k-old");
    const usage = reencrypts(5, old).map((row) => ({ ...row, principal: APP }));
    expect(
      found(
        { keys: [key("k-1"), key("k-old", { createdAt: at(-5000), firstSeen: at(-5000) })], usage },
        "reencrypt-burst",
      ),
    ).toEqual([]);
  });

  it("external-use-burst fires for an outsider's Decrypts, not for the owner's", () => {
    const usage = [0, 1, 2].flatMap((i) => [
      call("Decrypt", at(i), PARTNER, K),
      call("Decrypt", at(i), APP, K),
    ]);
    const cases = found({ keys: [key("k-1")], usage }, "external-use-burst");
    expect(cases.map((finding) => finding.blastRadius.principals)).toEqual([[PARTNER]]);
  });

  it("denied-burst needs the calls within --burst-window", () => {
    const denied = (minutes: number[]) =>
      minutes.map((m) => call("Decrypt", at(m), PARTNER, K, { errorCode: "AccessDeniedException" }));
    expect(found({ keys: [key("k-1")], usage: denied([0, 1, 2]) }, "denied-burst")).toHaveLength(1);
    expect(found({ keys: [key("k-1")], usage: denied([0, 30, 60]) }, "denied-burst")).toEqual([]);
  });
});

describe("findings", () => {
  it("keeps only findings in [--from, --to)", () => {
    const parts = { keys: [key("k-1")], grants: [grant("g-out", K, PARTNER)] };
    expect(findings(buildModel(parts), { from: at(5) }).findings).toHaveLength(1);
    expect(findings(buildModel(parts), { from: at(6) }).findings).toEqual([]);
    expect(findings(buildModel(parts), { to: at(5) }).findings).toEqual([]);
  });
});
