import { describe, expect, it } from "vitest";
import { reach, usage } from "../../src/query/index.js";
import { reachBlocks, renderBlocks, usageBlocks } from "../../src/render/index.js";
import {
  ACCOUNT,
  at,
  type BuiltCase,
  buildModel,
  call,
  key,
  keyArn,
  policyVersion,
  rootPolicy,
} from "../query/findings/case-builder.js";

/** What the table shows of calls nothing explains: which Deny or key state refused them, and why in reach. */
const K = keyArn("k-1");
const BAD = `arn:aws:iam::${ACCOUNT}:role/Bad`;
const denyBad = { Sid: "DenyBad", Effect: "Deny", Principal: { AWS: BAD }, Action: "kms:*", Resource: "*" };
const enabled = {
  from: at(0),
  to: null,
  value: "Enabled" as const,
  openedBy: ["CreateKey"],
  closedBy: [],
  confidence: "recorded" as const,
};
const parts: BuiltCase = {
  keys: [
    key("k-1", {
      states: [enabled],
      policies: [policyVersion(K, 1, at(0), rootPolicy(denyBad), "CreateKey")],
    }),
  ],
  usage: [call("Decrypt", at(10), BAD, K), call("ListKeys", at(12), BAD, "", { key: null })],
};

describe("usage and reach tables for calls nothing explains", () => {
  it("names the Deny that refused a call, and does not count a call naming no key as unexplained", () => {
    const text = renderBlocks(usageBlocks(usage(buildModel(parts), { calls: true })), "table");
    expect(text).toContain("NONE FOUND 1 (denied-by-policy)");
    expect(text).toContain("no key named 1");
    expect(text).toMatch(/none found \(denied-by-policy\) \[Deny DenyBad\]/);
  });

  it("says why reach could not explain a use", () => {
    const report = reach(buildModel(parts), BAD, { from: at(0), to: at(60) });
    expect(renderBlocks(reachBlocks(report), "table")).toMatch(/Decrypt\s+1\s+denied-by-policy 1/);
  });
});
