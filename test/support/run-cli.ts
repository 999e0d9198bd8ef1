import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const ROOT = new URL("../../", import.meta.url);
export const REPO = fileURLToPath(ROOT);

const packageSchema = z.object({ bin: z.object({ keytrail: z.string() }) });
const packageJson = packageSchema.parse(JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")));

/**
 * The built CLI that package.json installs as `keytrail` (npm test builds first), run as a user runs it: a real
 * process, real files, real exit codes.
 */
export const CLI = fileURLToPath(new URL(packageJson.bin.keytrail, ROOT));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: "utf8",
    input: input ?? "",
    env: { ...process.env, FORCE_COLOR: "0" },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function runJson<T>(args: string[], input?: string): T {
  const run = runCli([...args, "--format", "json"], input);
  if (run.code !== 0) throw new Error(`keytrail ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
