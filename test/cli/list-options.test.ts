import { Command, CommanderError } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { argumentsAfterLists, inputOption, ListOption } from "../../src/cli/list-options.js";
import { main, program } from "../../src/cli/main.js";

const DEMO = "fixtures/demo";
const ACCOUNTS = ["fixtures/demo/AWSLogs/111122223333", "fixtures/demo/AWSLogs/999988887777"];
const KEY = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";

/** A command shaped like who-can: one required argument, `-i` and `--context` lists. */
function parsed(args: string[]): { key: string; options: Record<string, unknown> } {
  let seen: { key: string; options: Record<string, unknown> } | undefined;
  const command = new Command("who-can")
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .argument("<key>")
    .addOption(inputOption())
    .addOption(new ListOption("--context <key=value...>", "pairs", (pair) => pair.includes("=")))
    .option("--at <time>")
    .action((key: string, options: Record<string, unknown>) => {
      seen = { key, options };
    });
  argumentsAfterLists(command).parse(args, { from: "user" });
  if (!seen) throw new Error("the action did not run");
  return seen;
}

function refusal(args: string[]): CommanderError {
  try {
    parsed(args);
  } catch (error) {
    if (error instanceof CommanderError) return error;
    throw error;
  }
  throw new Error(`${args.join(" ")} was accepted`);
}

describe("a list option gives back the argument it took", () => {
  it("a key after -i paths is the key, not an input", () => {
    expect(parsed(["-i", DEMO, KEY, "--at", "T"])).toEqual({ key: KEY, options: { input: [DEMO], at: "T" } });
    expect(parsed(["-i", ...ACCOUNTS, "alias/payments"])).toEqual({
      key: "alias/payments",
      options: { input: ACCOUNTS },
    });
    expect(parsed(["-i", "-", KEY]).options.input).toEqual(["-"]);
    expect(parsed(["-i", DEMO, KEY, "-i", ACCOUNTS[0] ?? ""]).options.input).toEqual([DEMO, ACCOUNTS[0]]);
  });

  it("a key after --context pairs is the key", () => {
    expect(parsed(["--context", "a=1", "b=2", KEY, "-i", DEMO])).toEqual({
      key: KEY,
      options: { context: ["a=1", "b=2"], input: [DEMO] },
    });
  });

  it("changes nothing when the argument is there: several inputs stay inputs, a typo stays an input", () => {
    expect(parsed([KEY, "-i", ...ACCOUNTS]).options.input).toEqual(ACCOUNTS);
    // The schema then says "no such file or directory: nope", as before.
    expect(parsed([KEY, "-i", DEMO, "nope"]).options.input).toEqual([DEMO, "nope"]);
    expect(parsed(["--at", "T", KEY, "--context", "a=1", "novalue"]).options.context).toEqual([
      "a=1",
      "novalue",
    ]);
  });

  it("refuses what it cannot tell: the argument missing, or more than one word no list takes", () => {
    for (const args of [
      ["-i", DEMO, "--at", "T"],
      ["-i", ...ACCOUNTS],
      ["-i", KEY],
      ["-i", DEMO, "nope", KEY],
      ["-i", DEMO, KEY, "--context", "a=1", "novalue"],
    ]) {
      expect(refusal(args).code).toBe("commander.missingArgument");
    }
  });

  it("is declared as a list", () => {
    expect(() => new ListOption("--input <path>", "one path", () => true)).toThrow(/<name\.\.\.>/);
  });

  it("covers every list option of a command that takes an argument", () => {
    const commands = (command: Command): Command[] =>
      command.commands.flatMap((sub) => [sub, ...commands(sub)]);
    const unguarded = commands(program()).flatMap((command) =>
      command.registeredArguments.some((argument) => argument.required)
        ? command.options
            .filter((option) => option.variadic && !(option instanceof ListOption))
            .map((option) => `${command.name()} ${option.flags}`)
        : [],
    );
    expect(unguarded).toEqual([]);
  });
});

describe("the commands that take an argument and -i", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function answer(args: string[]): Promise<unknown> {
    let stdout = "";
    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const code = await main(["node", "keytrail", ...args, "--format", "json"]);
    vi.restoreAllMocks();
    if (code !== 0) throw new Error(`keytrail ${args.join(" ")} exited ${code}: ${stderr}`);
    return JSON.parse(stdout);
  }

  it("with the argument first, a path that is not there is still an input, named as such", async () => {
    for (const args of [
      ["who-can", "alias/payments", "-i", DEMO, "nosuch.json", "--at", "2024-12-17T13:45:00Z"],
      [
        "reach",
        "arn:aws:iam::999988887777:role/data-sync",
        "-i",
        DEMO,
        "nosuch",
        "--at",
        "2024-12-17T13:45:00Z",
      ],
    ]) {
      await expect(answer(args)).rejects.toThrow(/no such file or directory: nosuch/);
    }
  });

  it.each([
    [
      ["key", "alias/payments"],
      ["--at", "2024-12-17T13:45:00Z"],
    ],
    [
      ["who-can", "alias/payments"],
      ["--at", "2024-12-17T13:45:00Z"],
    ],
    [
      ["reach", "arn:aws:iam::999988887777:role/data-sync"],
      ["--at", "2024-12-17T13:45:00Z"],
    ],
  ])(
    "%j with -i before the argument answers as with -i after it",
    async ([command = "", argument = ""], rest) => {
      const after = await answer([command, argument, ...rest, "-i", DEMO]);
      expect(await answer([command, "-i", DEMO, argument, ...rest])).toEqual(after);
      expect(await answer([command, ...rest, "-i", ...ACCOUNTS, argument])).toEqual(after);
    },
  );
});
