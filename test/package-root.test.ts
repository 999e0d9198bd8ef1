import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../src/package-root.js";

describe("PACKAGE_ROOT", () => {
  it("is keytrail's own directory, the one holding its package.json", () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string };
    expect(manifest.name).toBe("keytrail");
  });
});
