import { fileURLToPath } from "node:url";

/** The launcher scripts live in .ci/neo4j so that CI and people can run them without vitest. */
const scriptsDir = fileURLToPath(new URL("../../../.ci/neo4j/", import.meta.url));

export const prepareScript = `${scriptsDir}prepare.sh`;
export const startScript = `${scriptsDir}start.sh`;

/** Exit code of prepare.sh and start.sh when java or mvn is missing or unusable, as opposed to broken. */
export const MISSING_TOOL_EXIT_CODE = 3;
