import { describe, expect, it } from "vitest";
import { csvDocument, metricsCsv } from "../../src/render/index.js";
import { parseCsv, readTable } from "../support/parse-csv.js";

const one = (value: string | number | boolean | null) =>
  csvDocument({ columns: ["v"], rows: [{ v: value }] }).split("\n")[1];

describe("csvDocument", () => {
  it("writes one header and one line per row, every line ended by \\n, cells in column order", () => {
    const text = csvDocument({
      columns: ["b", "a"],
      rows: [
        { a: "x", b: 1 },
        { a: null, b: true },
      ],
    });
    expect(text).toBe("b,a\n1,x\ntrue,\n");
    expect(csvDocument({ columns: ["a", "b"], rows: [] })).toBe("a,b\n");
  });

  it("quotes as RFC 4180: commas and quotes, quotes doubled", () => {
    expect(one('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(one("plain text: no quotes")).toBe("plain text: no quotes");
  });

  it("writes control characters escaped, so a value never spans lines or reaches a terminal raw", () => {
    const hostile = "alias/\u001b[31mRED\u001b[0m\nfake,row\r\u009b2J";
    const text = csvDocument({ columns: ["alias"], rows: [{ alias: hostile }] });
    expect(text).toBe('alias\n"alias/\\x1b[31mRED\\x1b[0m\\nfake,row\\r\\x9b2J"\n');
    expect(parseCsv(text)).toEqual([["alias"], ["alias/\\x1b[31mRED\\x1b[0m\\nfake,row\\r\\x9b2J"]]);
  });

  it("keeps a spreadsheet from running a cell as a formula, and leaves numbers alone", () => {
    expect(one('=HYPERLINK("http://evil.example")')).toBe('"\'=HYPERLINK(""http://evil.example"")"');
    expect(one("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(one("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)");
    expect(one("-x")).toBe("'-x");
    expect(one("-3")).toBe("-3");
    expect(one("+1.5e3")).toBe("+1.5e3");
    expect(one(-3)).toBe("-3");
    expect(one("a=b")).toBe("a=b");
  });

  it("round-trips a hostile value through a strict reader", () => {
    const value = '=1+2,"x"\ny';
    const [row] = readTable(csvDocument({ columns: ["v", "w"], rows: [{ v: value, w: "-3" }] })).rows;
    expect(row).toEqual({ v: '\'=1+2,"x"\\ny', w: "-3" });
  });
});

describe("metricsCsv", () => {
  it("flattens a summary to dotted paths, one row per leaf, in the JSON's order", () => {
    const table = metricsCsv({
      records: { read: 3, kept: { kms: 2 } },
      accountedFor: true,
      caseFile: null,
      coverage: [{ account: "111122223333", records: 3 }],
      byCode: {},
      first: [],
      omitted: undefined,
    });
    expect(table.columns).toEqual(["metric", "value"]);
    expect(table.rows).toEqual([
      { metric: "records.read", value: 3 },
      { metric: "records.kept.kms", value: 2 },
      { metric: "accountedFor", value: true },
      { metric: "caseFile", value: null },
      { metric: "coverage.0.account", value: "111122223333" },
      { metric: "coverage.0.records", value: 3 },
      { metric: "byCode", value: null },
      { metric: "first", value: null },
    ]);
    expect(csvDocument(table)).toBe(
      "metric,value\nrecords.read,3\nrecords.kept.kms,2\naccountedFor,true\ncaseFile,\n" +
        "coverage.0.account,111122223333\ncoverage.0.records,3\nbyCode,\nfirst,\n",
    );
  });
});
