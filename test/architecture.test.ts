import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Each folder under src/ is one stage with one public entry point (STYLE.md, patterns for keytrail 1): a file
 * may import another stage only through that stage's index.ts. Shared leaves (errors.ts, issue.ts,
 * package-root.ts, printable.ts) are open.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const SHARED = new Set([
  "errors.ts",
  "iso-time.ts",
  "issue.ts",
  "package-root.ts",
  "printable.ts",
  "whole-number.ts",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

const stageOf = (file: string) => relative(SRC, file).split(sep)[0] ?? "";

function crossStageImports(file: string, text = readFileSync(file, "utf8")): string[] {
  return [...text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].flatMap(([, specifier = ""]) => {
    const target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
    const targetRelative = relative(SRC, target);
    if (targetRelative.startsWith("..") || SHARED.has(targetRelative)) return [];
    if (stageOf(target) === stageOf(file)) return [];
    const entry = join(SRC, stageOf(target), "index.ts");
    return target === entry ? [] : [`${relative(SRC, file)} imports ${specifier}`];
  });
}

describe("stage boundaries", () => {
  it("every import of another stage goes through its index.ts", () => {
    const offenders = sourceFiles(SRC).flatMap((file) => crossStageImports(file));
    expect(offenders).toEqual([]);
  });

  it("catches an import past another stage's index, and allows the index and its own stage", () => {
    const fake = join(SRC, "pipeline", "fake.ts");
    const text = [
      'import { readSource } from "../ingest/read-source.js";',
      'import { ingest } from "../ingest/index.js";',
      'import { CoverageTracker } from "./coverage-tracker.js";',
      'import { InputError } from "../errors.js";',
    ].join("\n");
    expect(crossStageImports(fake, text)).toEqual(["pipeline/fake.ts imports ../ingest/read-source.js"]);
  });
});
