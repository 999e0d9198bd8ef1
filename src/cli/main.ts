import { Command } from "commander";
import { exportCommand } from "./commands/export.js";
import { findingsCommand } from "./commands/findings.js";
import { gaps } from "./commands/gaps.js";
import { generate } from "./commands/generate.js";
import { key } from "./commands/key.js";
import { neo4j } from "./commands/neo4j/index.js";
import { reach } from "./commands/reach.js";
import { replay } from "./commands/replay.js";
import { reportCommand } from "./commands/report.js";
import { timeline } from "./commands/timeline.js";
import { usage } from "./commands/usage.js";
import { whoCan } from "./commands/who-can.js";
import { handleError } from "./handle-error.js";
import { argumentsAfterLists } from "./list-options.js";
import { KEYTRAIL_VERSION } from "./version.js";

export function program(): Command {
  const cli = new Command("keytrail")
    .description(
      "Forensic temporal graph of AWS KMS keys, policies, grants, aliases and principals from CloudTrail",
    )
    .version(KEYTRAIL_VERSION)
    .option("--debug", "print stack traces of internal errors")
    .addCommand(replay)
    .addCommand(key)
    .addCommand(gaps)
    .addCommand(findingsCommand)
    .addCommand(whoCan)
    .addCommand(reach)
    .addCommand(generate)
    .addCommand(usage)
    .addCommand(timeline)
    .addCommand(exportCommand)
    .addCommand(neo4j)
    .addCommand(reportCommand);
  return argumentsAfterLists(cli);
}

/** Runs the CLI and returns the exit code (0 ok, 1 usage/input errors, 2 internal error). */
export async function main(argv: string[]): Promise<number> {
  const cli = program();
  cli.exitOverride();
  for (const command of cli.commands) command.exitOverride();
  // The command whose action runs: its declared arguments name the schema fields that are no option.
  let ran: Command | undefined;
  cli.hook("preAction", (_cli, action) => {
    ran = action;
  });
  try {
    await cli.parseAsync(argv);
    return 0;
  } catch (error) {
    return handleError(error, (text) => process.stderr.write(text), argv.includes("--debug"), ran);
  }
}
