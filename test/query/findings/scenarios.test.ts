import { describe, expect, it } from "vitest";
import { CaseModel } from "../../../src/model/index.js";
import { replayInputs } from "../../../src/pipeline/index.js";
import { findings } from "../../../src/query/index.js";

const fixture = (path: string) => new URL(`../../../fixtures/${path}`, import.meta.url).pathname;
const report = async (path: string) => findings(new CaseModel(await replayInputs([fixture(path)])));
const P = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const N = "arn:aws:kms:us-east-1:111122223333:key/907103ba-2cd9-4153-989a-e5e47532ac3f";
const DATA_SYNC = "arn:aws:iam::999988887777:role/data-sync";

describe("findings of the demo incident (fixtures/README.md)", async () => {
  const { findings: all } = await report("demo");
  const of = (detector: string) => all.filter((finding) => finding.detector === detector);

  it("opens P's policy to account 999988887777 and to * in one finding at 13:10:00", () => {
    const opened = of("policy-opened").find((finding) => finding.blastRadius.keys.includes(P));
    expect(opened?.time).toBe("2024-12-17T13:10:00.000Z");
    expect(opened?.blastRadius.principals).toEqual(expect.arrayContaining(["999988887777", "*"]));
  });

  it("flags the grant to data-sync, the alias moved to N created 2 min before, and the stopped logging", () => {
    expect(of("grant-outside-account").map((f) => f.blastRadius.principals[0])).toEqual([DATA_SYNC]);
    const [moved] = of("alias-repointed");
    expect(moved?.explanation).toContain(`to key ${N} (created 2 min earlier by the same principal)`);
    expect(moved?.blastRadius.keys).toEqual([P, N]);
    const [stopped] = of("logging-blind-spot");
    expect(stopped?.time).toBe("2024-12-17T13:21:10.000Z");
    expect(stopped?.blastRadius.usage.calls).toBe(6);
  });

  it("flags data-sync's Decrypt/ReEncrypt burst from outside and its denied burst", () => {
    expect(of("external-use-burst").map((f) => f.blastRadius.principals)).toEqual([[DATA_SYNC]]);
    expect(of("reencrypt-burst").map((f) => f.eventIds.length)).toEqual([8]);
    const [denied] = of("denied-burst");
    expect(denied?.blastRadius.principals).toEqual([DATA_SYNC]);
    expect(denied?.time).toBe("2024-12-17T13:03:00.000Z");
  });

  it("rates P's opening inferred (its earlier policy is not in the trail) and N's creation recorded", () => {
    const [onP, onN] = [P, N].map((key) =>
      of("policy-opened").find((finding) => finding.blastRadius.keys.includes(key)),
    );
    expect(onP).toMatchObject({
      confidence: "inferred",
      confidenceReason:
        "the key policy before version 1 is not in the trail: it may already have trusted them",
    });
    expect(onN).toMatchObject({ confidence: "recorded", confidenceReason: null });
    const others = all.filter((finding) => finding !== onP);
    expect(others.map((finding) => finding.confidence)).toEqual(others.map(() => "recorded"));
  });

  it("flags the deletion of P while in use, and every finding has evidence", () => {
    const [deletion] = of("key-in-use-disabled");
    expect(deletion?.time).toBe("2024-12-17T14:00:00.000Z");
    expect(deletion?.blastRadius.usage.failed).toBeGreaterThan(0);
    for (const finding of all) expect(finding.eventIds.length).toBeGreaterThan(0);
  });

  it("reports nothing about the normal traffic of PaymentsApi", () => {
    expect(
      all.filter((f) => f.explanation.includes("by arn:aws:iam::111122223333:role/PaymentsApi")),
    ).toEqual([]);
  });
});

describe("findings of the scenario trails", () => {
  it("trail-control: one blind-spot finding per control window", async () => {
    const { findings: all } = await report("scenarios/trail-control");
    expect(all.filter((f) => f.detector === "logging-blind-spot").map((f) => f.time)).toEqual([
      "2024-12-03T09:20:00.000Z",
      "2024-12-03T10:00:00.000Z",
      "2024-12-03T11:00:00.000Z",
    ]);
  });

  it("imported-material: short-lived material of C and D, and C's DeleteImportedKeyMaterial", async () => {
    const { findings: all } = await report("scenarios/imported-material");
    const material = all.filter((f) => f.detector === "imported-material");
    expect(material.map((f) => f.time)).toEqual([
      "2024-04-09T14:03:30.000Z",
      "2024-04-09T14:07:00.000Z",
      "2024-04-09T17:32:00.000Z",
      "2024-04-09T18:15:00.000Z",
    ]);
    expect(material.at(-1)?.severity).toBe("high");
  });

  it("key-lifecycle: a single-account life with no blind spot and no outsider", async () => {
    const { findings: all } = await report("scenarios/key-lifecycle");
    const detectors = new Set(all.map((f) => f.detector));
    for (const quiet of [
      "logging-blind-spot",
      "policy-opened",
      "grant-outside-account",
      "external-use-burst",
    ])
      expect(detectors.has(quiet as never)).toBe(false);
  });
});

describe("findings about one key", () => {
  it.each(["demo", "scenarios/attribution", "scenarios/cross-account", "scenarios/key-lifecycle"])(
    "are the findings whose blast radius holds it, on %s (detectors may skip other keys' work)",
    async (path) => {
      const model = new CaseModel(await replayInputs([fixture(path)]));
      const all = findings(model).findings;
      const keys = [...new Set(all.flatMap((finding) => finding.blastRadius.keys))];
      if (path === "scenarios/attribution") {
        expect(all.map((finding) => finding.detector)).toContain("unexplained-use");
      }
      for (const key of keys) {
        expect(findings(model, { key }).findings).toEqual(
          all.filter((finding) => finding.blastRadius.keys.includes(key)),
        );
      }
    },
  );
});
