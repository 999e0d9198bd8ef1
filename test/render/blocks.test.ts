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
});
