import { join } from "node:path";
import { PACKAGE_ROOT } from "../../package-root.js";

/** The launcher scripts live in .ci/neo4j so that CI and people can run them without vitest. */
const scriptsDir = join(PACKAGE_ROOT, ".ci", "neo4j");

export const prepareScript = join(scriptsDir, "prepare.sh");
export const startScript = join(scriptsDir, "start.sh");

/** Exit code of prepare.sh and start.sh when java or mvn is missing or unusable, as opposed to broken. */
export const MISSING_TOOL_EXIT_CODE = 3;
