import { describe, expect, it } from "vitest";
import { type DetectorName, findings } from "../../../src/query/index.js";
import {
  ACCOUNT,
  ADMIN,
  APP,
  alias,
  allow,
  at,
  type BuiltCase,
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
  withPolicies,
} from "./case-builder.js";

/** Each detector on a hand-built case: one that must fire, one just on the other side of its rule. */

const K = keyArn("k-1");

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

/** Regressions from a review of the findings detectors: each case here was mis-reported before. */

const opened = (...documents: unknown[]) => found({ keys: [withPolicies(...documents)] }, "policy-opened");

const callerAccountIs = (account: string) => ({ StringEquals: { "kms:CallerAccount": account } });
const anyone = (sid: string, condition?: unknown) => ({
  ...allow(sid, "*", "kms:Decrypt"),
  ...(condition ? { Condition: condition } : {}),
});
const denyOtherAccounts = {
  Sid: "DenyOthers",
  Effect: "Deny",
  Principal: "*",
  Action: "kms:*",
  Resource: "*",
  Condition: { StringNotEquals: { "kms:CallerAccount": ACCOUNT } },
};

describe("policy-opened compares how surely each outsider is trusted, not only whether", () => {
  it("raises a critical finding when a version drops the condition that kept * to the key's own account", () => {
    const findings = opened(rootPolicy(anyone("Any", callerAccountIs(ACCOUNT))), rootPolicy(anyone("Any")));
    expect(findings.map((finding) => [finding.eventIds, finding.severity])).toEqual([
      [["PutKeyPolicy-2"], "critical"],
    ]);
    expect(findings[0]?.explanation).toContain(
      "added * (statement Any) — the previous version did not trust",
    );
  });

  it("raises a critical finding when a version drops the Deny that fenced an Allow * to the key's account", () => {
    const findings = opened(rootPolicy(anyone("Any"), denyOtherAccounts), rootPolicy(anyone("Any")));
    expect(findings.map((finding) => [finding.eventIds, finding.severity])).toEqual([
      [["PutKeyPolicy-2"], "critical"],
    ]);
  });

  it("raises a finding when another account's route loses its conditions", () => {
    const partner = allow("Partner", `arn:aws:iam::${OUTSIDER}:root`);
    const viaS3 = {
      ...partner,
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    };
    const [finding, ...rest] = opened(rootPolicy(), rootPolicy(viaS3), rootPolicy(partner));
    expect(rest.map((other) => other.eventIds)).toEqual([["PutKeyPolicy-3"]]);
    expect(finding?.explanation).toContain(`account ${OUTSIDER} (statement Partner, with conditions)`);
    expect(rest[0]?.explanation).toContain(
      `added account ${OUTSIDER} (statement Partner) — the previous version trusted them only with conditions`,
    );
    expect(rest[0]?.severity).toBe("high");
  });

  it("raises nothing for * pinned to the key's own account by a condition or a Deny", () => {
    expect(opened(rootPolicy(), rootPolicy(anyone("Any", callerAccountIs(ACCOUNT))))).toEqual([]);
    expect(opened(rootPolicy(), rootPolicy(anyone("Any"), denyOtherAccounts))).toEqual([]);
  });

  it("still reports * that a condition opens to another account, as conditional", () => {
    const [finding] = opened(rootPolicy(), rootPolicy(anyone("Any", callerAccountIs(OUTSIDER))));
    expect(finding?.severity).toBe("high");
    expect(finding?.explanation).toContain("added * (statement Any, with conditions)");
  });

  it("raises nothing when a version narrows an account it trusted to one of its roles", () => {
    const findings = opened(
      rootPolicy(allow("Acct", `arn:aws:iam::${OUTSIDER}:root`, "kms:*")),
      rootPolicy(allow("One", `arn:aws:iam::${OUTSIDER}:role/one`)),
    );
    expect(findings.map((finding) => finding.eventIds)).toEqual([["PutKeyPolicy-1"]]);
  });
});

describe("reencrypt-burst", () => {
  it("does not call a same-account destination foreign when the calls' source key is unknown", () => {
    const old = key("k-old", { createdAt: at(-5000), firstSeen: at(-5000) });
    const usage = [0, 1, 2].map((i) =>
      call("ReEncrypt", at(i), APP, K, { key: null, destinationKey: keyArn("k-old") }),
    );
    expect(found({ keys: [old], usage }, "reencrypt-burst")).toEqual([]);
  });
});

describe("key-in-use-disabled counts the key's successful cryptographic calls only", () => {
  const BAD = `arn:aws:iam::${ACCOUNT}:role/Bad`;
  const disabled = (...usage: BuiltCase["usage"] & object) =>
    found(
      { keys: [key("k-1")], usage, events: [event("DisableKey", at(60), ADMIN, [K])] },
      "key-in-use-disabled",
    );
  const reads = [
    call("DescribeKey", at(1), ADMIN, K),
    call("GetKeyPolicy", at(2), ADMIN, K),
    call("Decrypt", at(3), BAD, K, { errorCode: "AccessDeniedException" }),
  ];

  it("raises nothing for metadata reads and refused calls", () => {
    expect(disabled(...reads)).toEqual([]);
  });

  it("counts and names only the principals whose cryptographic calls succeeded", () => {
    const [finding] = disabled(...reads, call("Decrypt", at(4), APP, K));
    expect(finding?.explanation).toContain("served 1 successful cryptographic calls from 1 principal(s)");
    expect(finding?.blastRadius.principals).toEqual([ADMIN, APP]);
  });
});

describe("findings asked about a principal", () => {
  it("takes an account id to mean every principal of that account, as usage does", () => {
    const model = buildModel({ keys: [key("k-1")], grants: [grant("g-1", K, PARTNER)] });
    const about = (principal: string) =>
      findings(model, { principal }).findings.map((finding) => finding.detector);
    expect(about(OUTSIDER)).toEqual(["grant-outside-account"]);
    expect(about(PARTNER)).toEqual(["grant-outside-account"]);
    expect(about(APP)).toEqual([]);
  });

  it("counts a policy opened to the principal's account, or to anyone, as about the principal", () => {
    const model = buildModel({
      keys: [
        withPolicies(
          rootPolicy(),
          rootPolicy(allow("Partner", `arn:aws:iam::${OUTSIDER}:root`)),
          rootPolicy(allow("Anyone", "*")),
        ),
      ],
    });
    const opened = (principal: string) =>
      findings(model, { principal })
        .findings.filter((finding) => finding.detector === "policy-opened")
        .map((finding) => finding.eventIds);
    const both = [["PutKeyPolicy-2"], ["PutKeyPolicy-3"]];
    expect(opened(OUTSIDER)).toEqual(both);
    expect(opened(PARTNER)).toEqual(both);
  });
});

describe("findings over a window count and date the calls inside it", () => {
  const windowed = (parts: BuiltCase, from: number, detector: DetectorName) =>
    findings(buildModel(parts), { from }).findings.filter((finding) => finding.detector === detector);

  it("reports unexplained calls inside the window of a group whose first call is before it", () => {
    const parts: BuiltCase = {
      keys: [key("k-1", { policies: [policyVersion(K, 1, at(0), rootPolicy(), "CreateKey")] })],
      usage: [call("Decrypt", at(10), PARTNER, K), call("Decrypt", at(30), PARTNER, K)],
    };
    const [finding, ...rest] = windowed(parts, at(20), "unexplained-use");
    expect(rest).toEqual([]);
    expect(finding?.time).toBe(new Date(at(30)).toISOString());
    expect(finding?.explanation).toMatch(/^1 successful call\(s\)/);
    expect(finding?.eventIds).toHaveLength(1);
  });

  it("reports the part of a burst straddling --from when the calls inside make a burst themselves", () => {
    const usage = [0, 1, 2, 3, 4].map((i) => call("Decrypt", at(i), PARTNER, K));
    const [finding, ...rest] = windowed({ keys: [key("k-1")], usage }, at(1.5), "external-use-burst");
    expect(rest).toEqual([]);
    expect(finding?.time).toBe(new Date(at(2)).toISOString());
    expect(finding?.eventIds).toHaveLength(3);
    expect(windowed({ keys: [key("k-1")], usage }, at(2.5), "external-use-burst")).toEqual([]);
  });
});

describe("grant-outside-account, a grantee no record resolves", () => {
  it("reports a grant to a unique id no record resolves, low and unknown, rather than passing it over", () => {
    const [finding] = found(
      { keys: [key("k-1")], grants: [grant("g-1", K, "AROAEXAMPLEUNKNOWN99")] },
      "grant-outside-account",
    );
    expect(finding).toMatchObject({ severity: "low", confidence: "unknown" });
    expect(finding?.explanation).toContain(
      "gives AROAEXAMPLEUNKNOWN99 (unresolved unique id, account unknown)",
    );
  });
});
