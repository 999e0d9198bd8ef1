import { describe, expect, it } from "vitest";
import { reach } from "../../src/query/index.js";
import { csvDocument, reachBlocks, reachCsv, renderBlocks } from "../../src/render/index.js";
import { at, PARTNER } from "../query/findings/case-builder.js";
import { BATCH, GRANT_ID, sessionCase } from "../query/session-case.js";
import { readTable } from "../support/parse-csv.js";

/**
 * What reach's table, Markdown and CSV say about sessions: a route that reaches only one session of the role
 * asked about carries its reason on the route, and a report asked about a session says which.
 */

const model = sessionCase();
const WINDOW = { from: at(0), to: at(60) };
const REASON = `it names session batch of ${PARTNER} only (${BATCH})`;

describe("reach of a role with a route to one of its sessions", () => {
  const report = reach(model, PARTNER, WINDOW);

  it("the JSON route carries the reason the renderers show", () => {
    expect(report.keys[0]?.via).toContainEqual(
      expect.objectContaining({ grantId: GRANT_ID, partial: REASON }),
    );
  });

  it("the table names the session on the route, after the routes that reach the whole role", () => {
    const text = renderBlocks(reachBlocks(report), "table");
    expect(text).toContain(
      `policy "PartnerEncrypt"; grant ${GRANT_ID} (partial: it names session batch of ${PARTNER} only`,
    );
    expect(text).not.toMatch(/^\s+session:/m);
  });

  it("Markdown shows the whole reason, unclipped", () => {
    expect(renderBlocks(reachBlocks(report), "md")).toContain(`grant ${GRANT_ID} (partial: ${REASON})`);
  });

  it("CSV leaves the session empty and puts the reason in via.partial", () => {
    const rows = readTable(csvDocument(reachCsv(report))).rows;
    expect(rows.every((row) => row.session === "")).toBe(true);
    const grant = rows.find((row) => row.section === "keys" && row["via.grantId"] === GRANT_ID);
    expect(grant?.["via.partial"]).toBe(REASON);
  });
});

describe("reach of a session ARN", () => {
  const report = reach(model, BATCH, WINDOW);

  it("the table's header names the session asked about and what it narrows", () => {
    const text = renderBlocks(reachBlocks(report), "table");
    expect(text).toContain(`What ${BATCH} could use at`);
    expect(text).toMatch(new RegExp(`principal: +${PARTNER} \\(role\\)`));
    expect(text).toMatch(/session: +batch \(routes and calls of this session only\)/);
    expect(text).not.toContain("partial");
  });

  it("Markdown has the session field", () => {
    expect(renderBlocks(reachBlocks(report), "md")).toContain(
      "| session | batch (routes and calls of this session only) |",
    );
  });

  it("CSV repeats the session on every row, like the principal", () => {
    const rows = readTable(csvDocument(reachCsv(report))).rows;
    expect(rows.map((row) => row.section)).toEqual(["keys", "keys", "used", "used"]);
    expect(rows.every((row) => row.session === "batch" && row.principal === PARTNER)).toBe(true);
  });
});
