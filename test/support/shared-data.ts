import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The public CloudTrail samples sit beside the repository (../shared/data) and are read in place, never copied.
 * Outside CI a missing folder skips the tests that need it, loudly; under CI=true it is a failure.
 */
export const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data");

export function sharedDataPresent(suite: string): boolean {
  if (existsSync(SHARED_DATA)) return true;
  if (process.env.CI === "true") throw new Error(`${suite}: ${SHARED_DATA} is missing, and CI must have it`);
  console.warn(
    `\n*** ${suite} SKIPPED: ${SHARED_DATA} not found (the shared samples folder is absent) ***\n`,
  );
  return false;
}
