import { type Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { KeytrailError } from "../errors.js";
import { escapeControls } from "../printable.js";

/**
 * The option or argument a schema issue is about, as the user typed it: `burstCount` is `--burst-count`, and a
 * field named like one of the command's declared arguments is that argument, as its help shows it (`<key>`):
 * the command's `.argument()` declarations decide, so `who-can <key>` and `usage --key` are each named right.
 * An option whose value commander took from its environment variable (`.env()`, e.g. NEO4J_URI) is that variable.
 * Groups the commands assemble from several options (the data source, a window) and list entries name none.
 */
function optionName(path: readonly PropertyKey[], command: Command | undefined): string | undefined {
  const [first] = path;
  if (typeof first !== "string" || path.length !== 1 || ["source", "window"].includes(first))
    return undefined;
  const argument = command?.registeredArguments.find((declared) => declared.name() === first);
  if (argument) return argument.required ? `<${first}>` : `[${first}]`;
  const option = command?.options.find((declared) => declared.attributeName() === first);
  if (option?.envVar && command?.getOptionValueSource(first) === "env") return option.envVar;
  return `--${first.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** A file the user named could not be read or written (gone, a directory, no permission, disk full). */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { syscall: string } {
  // A full disk's write error names no path (the file is open already).
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return (
    typeof syscall === "string" &&
    ["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EROFS", "ENOSPC", "EEXIST"].includes(code ?? "")
  );
}

/**
 * The one place errors become text (DESIGN §2 exit codes): 1 for usage and input problems (zod, commander,
 * KeytrailError), 2 for anything else — an internal error, with its stack under --debug.
 */
export function handleError(
  error: unknown,
  write: (text: string) => void,
  debug: boolean,
  /** The command whose action failed, when known: its declared arguments are named as arguments. */
  command?: Command,
): number {
  if (error instanceof CommanderError) {
    return error.exitCode;
  }
  if (error instanceof ZodError) {
    const lines = error.issues.map((issue) => {
      const option = optionName(issue.path, command);
      return `  ${option ? `${option}: ` : ""}${issue.message}`;
    });
    write(`keytrail: invalid options\n${lines.join("\n")}\n`);
    return 1;
  }
  if (error instanceof KeytrailError) {
    // Messages name files and keys as typed or as logged: no control character of theirs reaches the terminal
    // (the line breaks keytrail puts between a message's lines stay).
    const message = error.message.split("\n").map(escapeControls).join("\n");
    write(`keytrail: ${message}\n${error.hint ? `  hint: ${escapeControls(error.hint)}\n` : ""}`);
    if (debug && error.cause) write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return 1;
  }
  if (isFileSystemError(error)) {
    const where = typeof error.path === "string" ? ` ${escapeControls(error.path)}` : "";
    write(`keytrail: cannot ${error.syscall}${where}: ${error.code}\n`);
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
