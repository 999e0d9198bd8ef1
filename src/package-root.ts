import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's root directory: the nearest one above this module that holds a package.json. Files the code
 * reads beside itself (package.json, the scanner's .wasm, queries/, .ci/neo4j/) are found from here, which
 * holds wherever the module sits: src/ (tests), dist/ (tsc's output), dist/bundle/ (the installed CLI).
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`keytrail: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();
