import { CommanderError } from "commander";
import { ZodError } from "zod";
import { KeytrailError } from "../errors.js";

/**
 * The one place errors become text (DESIGN §2 exit codes): 1 for usage and input problems (zod, commander,
 * KeytrailError), 2 for anything else — an internal error, with its stack under --debug.
 */
export function handleError(error: unknown, write: (text: string) => void, debug: boolean): number {
  if (error instanceof CommanderError) {
    return error.exitCode;
  }
  if (error instanceof ZodError) {
    const lines = error.issues.map(
      (issue) => `  ${issue.path.length ? `--${issue.path.join(".")}: ` : ""}${issue.message}`,
    );
    write(`keytrail: invalid options\n${lines.join("\n")}\n`);
    return 1;
  }
  if (error instanceof KeytrailError) {
    write(`keytrail: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`);
    if (debug && error.cause) write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`keytrail: internal error: ${message}\n`);
  write(
    debug && error instanceof Error
      ? `${error.stack}\n`
      : "  (run again with --debug for the stack trace, and report it)\n",
  );
  return 2;
}
