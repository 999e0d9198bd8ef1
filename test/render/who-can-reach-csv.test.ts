import { describe, expect, it } from "vitest";
import { reach, whoCanAt } from "../../src/query/index.js";
import { csvDocument, reachCsv, whoCanCsv } from "../../src/render/index.js";
import {
  ACCOUNT,
  allow,
  at,
  type BuiltCase,
  buildModel,
  call,
  key,
  keyArn,
  policyVersion,
  rootPolicy,
} from "../query/findings/case-builder.js";
import { readTable } from "../support/parse-csv.js";

/** The rows who-can and reach add beside routes: a principal a Deny removed, a use nothing explains. */
const K = keyArn("k-1");
const BAD = `arn:aws:iam::${ACCOUNT}:role/Bad`;
const denyBad = { Sid: "Deny Bad", Effect: "Deny", Principal: { AWS: BAD }, Action: "kms:*", Resource: "*" };
const parts: BuiltCase = {
  keys: [
    key("k-1", {
      states: [
        {
          from: at(0),
          to: null,
          value: "Enabled",
          openedBy: ["CreateKey"],
          closedBy: [],
          confidence: "recorded",
        },
      ],
      policies: [policyVersion(K, 1, at(0), rootPolicy(allow("AllowBad", BAD), denyBad), "CreateKey")],
    }),
  ],
  usage: [call("Decrypt", at(10), BAD, K), call("Decrypt", at(11), BAD, K)],
};

describe("who-can and reach CSV sections", () => {
  it("who-can lists a principal an unconditional Deny removed, with that Deny's sid and statement", () => {
    const report = whoCanAt(buildModel(parts), K, at(5), { operation: "Decrypt" });
    expect(report.removed).toHaveLength(1);
    const table = readTable(csvDocument(whoCanCsv(report)));
    const removed = table.rows.filter((row) => row.section === "removed");
    expect(removed).toEqual([
      expect.objectContaining({
        principal: BAD,
        kind: "role",
        operations: "Decrypt",
        sid: "Deny Bad",
        statement: "2",
        "via.type": "",
        conditional: "",
      }),
    ]);
    expect(table.rows.filter((row) => row.section === "principals").every((row) => row.sid === "")).toBe(
      true,
    );
  });

  it("reach lists uses nothing explains, with every eventId and the reasons as JSON", () => {
    const report = reach(buildModel(parts), BAD, { from: at(0), to: at(60) });
    expect(report.usedButNotExplained).toHaveLength(1);
    const table = readTable(csvDocument(reachCsv(report)));
    const [row, ...others] = table.rows.filter((r) => r.section === "usedButNotExplained");
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      principal: BAD,
      at: "",
      from: "2024-06-01T10:00:00.000Z",
      to: "2024-06-01T11:00:00.000Z",
      "key.arn": K,
      operation: "Decrypt",
      count: "2",
      eventIds: report.usedButNotExplained[0]?.eventIds.join(" "),
    });
    expect(row?.eventIds?.split(" ")).toHaveLength(2);
    expect(JSON.parse(row?.reasons ?? "")).toEqual({ "denied-by-policy": 2 });
  });
});
