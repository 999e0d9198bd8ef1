import { type Command, Option, type ParseOptionsResult } from "commander";
import { exists } from "./options.js";

/**
 * An option that takes a list (`-i a b c`), saying what a value of it looks like. Commander gives a list option
 * every word after it up to the next option, so `who-can -i trail/ alias/payments --at T` would read the key as
 * a second input: `argumentsAfterLists` hands such a word back to the command's arguments.
 */
export class ListOption extends Option {
  constructor(
    flags: string,
    description: string,
    /** Whether `value` can be one of this option's values (a path that is there, a pair with `=`). */
    readonly accepts: (value: string) => boolean,
  ) {
    super(flags, description);
    if (!this.variadic) throw new Error(`ListOption ${flags}: declare the value as a list, <name...>`);
  }
}

/** `-i, --input <paths...>`, the logs every question command can replay on the fly (or - for stdin). */
export function inputOption(): ListOption {
  return new ListOption(
    "-i, --input <paths...>",
    "replay these logs on the fly",
    (path) => path === "-" || exists(path),
  );
}

const handled = new WeakSet<Command>();

/**
 * When `command` lacks required arguments and its list options hold, after their first value, exactly as many
 * words that none of them accepts (a key ARN given after `-i trail/`: no such file), those words are the
 * arguments. Only a command line that would otherwise fail (a missing argument) is read differently, and
 * `-i a b` still names two inputs. Applied to `command` and its subcommands; applying it again does nothing.
 */
export function argumentsAfterLists(command: Command): Command {
  for (const sub of command.commands) argumentsAfterLists(sub);
  const required = command.registeredArguments.filter((argument) => argument.required).length;
  const lists = command.options.filter((option): option is ListOption => option instanceof ListOption);
  if (handled.has(command) || required === 0 || lists.length === 0) return command;
  handled.add(command);
  // A subcommand's words before its first option reach it already parsed, as operands of its parent
  // (commander's `_parseCommand(operands, unknown)` then parses options from `unknown` only): they count too.
  const dispatched = command as unknown as { _parseCommand(operands: string[], unknown: string[]): unknown };
  const parseCommand = dispatched._parseCommand.bind(command);
  let held = 0;
  dispatched._parseCommand = (operands, unknown) => {
    held = operands.length;
    try {
      return parseCommand(operands, unknown);
    } finally {
      held = 0;
    }
  };
  const parseOptions = command.parseOptions.bind(command);
  command.parseOptions = (argv: string[]): ParseOptionsResult => {
    const parsed = parseOptions(argv);
    const missing = required - held - parsed.operands.length;
    if (missing <= 0 || parsed.unknown.length > 0) return parsed;
    const taken = lists.flatMap((list) => {
      const name = list.attributeName();
      const values: unknown = command.getOptionValue(name);
      if (command.getOptionValueSource(name) !== "cli" || !Array.isArray(values)) return [];
      const [first, ...rest] = values as string[];
      const strays = rest.filter((value) => !list.accepts(value));
      return strays.length === 0 ? [] : [{ name, kept: [first, ...rest.filter(list.accepts)], strays }];
    });
    const strays = taken.flatMap((list) => list.strays);
    if (strays.length !== missing) return parsed;
    for (const { name, kept } of taken) command.setOptionValueWithSource(name, kept, "cli");
    return { operands: [...parsed.operands, ...strays], unknown: parsed.unknown };
  };
  return command;
}
