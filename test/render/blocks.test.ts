import { describe, expect, it } from "vitest";
import { renderBlocks } from "../../src/render/index.js";

describe("Markdown blocks", () => {
  it("escapes markup from log strings and shows eventIds as code", () => {
    const md = renderBlocks(
      [
        {
          kind: "table",
          title: "alias/<b>x</b>",
          table: { headers: ["alias", "eventIds"], rows: [["alias/*a*|b", "e-1 e-2"]] },
        },
      ],
      "md",
    );
    expect(md).toBe(
      "### alias/\\<b\\>x\\</b\\>\n\n| alias | eventIds |\n| --- | --- |\n| alias/\\*a\\*\\|b | ` e-1 e-2 ` |\n",
    );
  });

  it("fences an eventId holding backticks with a longer run, so it cannot close the code span", () => {
    const hostile = "`` <img src=x onerror=alert(2)> ``";
    const md = renderBlocks([{ kind: "table", table: { headers: ["eventIds"], rows: [[hostile]] } }], "md");
    expect(md).toBe(`| eventIds |\n| --- |\n| \`\`\` ${hostile} \`\`\` |\n`);
  });
});

/** The C0/C1 control characters (and DEL) in a text. */
const controls = (text: string): string[] =>
  [...text].filter(
    (char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f),
  );

describe("control characters from the logs", () => {
  const hostile = "alias/\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007\nfake row\u009b2J";
  const blocks = [
    {
      kind: "fields" as const,
      title: `Key ${hostile}`,
      fields: [["description", hostile]] as [string, string][],
    },
    { kind: "table" as const, table: { headers: ["alias", "eventIds"], rows: [[hostile, `e-1${hostile}`]] } },
    { kind: "list" as const, items: [hostile] },
  ];

  it("never reach the terminal raw: table and Markdown show them escaped (CSV: test/render/csv.test.ts)", () => {
    for (const format of ["table", "md"] as const) {
      const text = renderBlocks(blocks, format);
      expect(controls(text.replace(/\n/g, ""))).toEqual([]);
      expect(text).toContain("\\x1b");
      expect(text).not.toContain("\nfake row");
    }
  });

  it("show each control as an escape in table output", () => {
    const text = renderBlocks([blocks[2] as (typeof blocks)[2]], "table");
    expect(text).toBe("  - alias/\\x1b[31mRED\\x1b[0m\\x1b]0;pwned\\x07\\nfake row\\x9b2J\n");
  });
});
