import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { handleError } from "../../src/cli/handle-error.js";
import { main, program } from "../../src/cli/main.js";

const AT = "2024-12-17T13:45:00Z";

/** What `keytrail <args>` prints on stderr, run in this process, and its exit code. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(["node", "keytrail", ...args]);
  vi.restoreAllMocks();
  return { code, stderr };
}

/** Every command under `command`, subcommands included. */
function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("a rejected argument is named as the help shows it, not as an option", () => {
  // `-i -` passes the data source's check without reading anything: the schema refuses the empty argument first.
  it.each([
    [["key", "", "-i", "-"], "<key>", "--key"],
    [["who-can", "", "--at", AT, "-i", "-"], "<key>", "--key"],
    [["reach", "", "--at", AT, "-i", "-"], "<principal>", "--principal"],
    [["neo4j", "query", ""], "<name>", "--name"],
  ])("%j", async (args, argument, option) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(1);
    expect(stderr).toContain("keytrail: invalid options\n");
    expect(stderr).toContain(`\n  ${argument}: `);
    expect(stderr).not.toContain(`${option}:`);
  });

  it("while an option of another command with the same name is still named as the option", async () => {
    for (const args of [
      ["usage", "--key", "", "-i", "-"],
      ["timeline", "--principal", "", "-i", "-"],
    ]) {
      const { code, stderr } = await run(args);
      expect(code).toBe(1);
      expect(stderr).toMatch(/\n {2}--(key|principal): /);
      expect(stderr).not.toMatch(/<(key|principal)>/);
    }
  });

  it("is decided by the failing command's declared arguments", () => {
    const issue = new z.ZodError([{ code: "custom", message: "bad", path: ["key"], input: "" }]);
    const text = (command?: Command) => {
      let written = "";
      handleError(issue, (line) => (written += line), false, command);
      return written;
    };
    expect(text(new Command("k").argument("<key>"))).toContain("  <key>: bad");
    expect(text(new Command("k").argument("[key]"))).toContain("  [key]: bad");
    expect(text(new Command("u").option("--key <key>"))).toContain("  --key: bad");
    expect(text()).toContain("  --key: bad");
  });

  it("cannot be mistaken for an option: no command declares an argument and an option of the same name", () => {
    // The action merges its arguments into the options it parses: a shared name would lose one of the two values
    // and make the error name ambiguous. Give one of them another name.
    const clashes = allCommands(program()).flatMap((command) =>
      command.registeredArguments
        .map((argument) => argument.name())
        .filter((name) => command.options.some((option) => option.attributeName() === name))
        .map((name) => `${command.name()} <${name}> and --${name}`),
    );
    expect(clashes).toEqual([]);
  });
});

describe("a value the environment gave is named as its variable, not as the option the user did not type", () => {
  it.each([
    [["neo4j", "query", "coverage-gaps"], "NEO4J_URI", "--uri"],
    [["neo4j", "push", "-i", "-"], "NEO4J_DATABASE", "--database"],
  ])("%j with %s empty", async (args, variable, option) => {
    vi.stubEnv(variable, "");
    const { code, stderr } = await run(args);
    expect(code).toBe(1);
    expect(stderr).toContain(`keytrail: invalid options\n  ${variable}: `);
    expect(stderr).not.toContain(`${option}:`);
  });

  it("while the option typed, which wins over the variable, is named as the option", async () => {
    vi.stubEnv("NEO4J_URI", "bolt://localhost:7687");
    const { code, stderr } = await run(["neo4j", "query", "coverage-gaps", "--uri", ""]);
    expect(code).toBe(1);
    expect(stderr).toContain("keytrail: invalid options\n  --uri: ");
    expect(stderr).not.toContain("NEO4J_URI");
  });
});

describe("who-can --context", () => {
  it("refuses a condition key without its prefix, and says which key was meant", async () => {
    // Refused before the logs are read (without the check, this would answer as if no context were given).
    const args = ["who-can", "alias/payments", "--at", AT, "-i", "fixtures/demo", "--context"];
    const { code, stderr } = await run([...args, "Department=Finance", "aws:PrincipalOrgID=o-1"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'keytrail: invalid options\n  --context: "Department" is no condition key: those have a prefix (kms:, aws:, …); ' +
        "did you mean kms:EncryptionContext:Department=Finance?\n",
    );
  });

  it("takes prefixed keys, a value with a colon, and `=` in the value", async () => {
    const { stderr } = await run([
      ...["who-can", "", "--at", AT, "-i", "-", "--context"],
      ...["kms:EncryptionContext:Department=Finance", "aws:SourceArn=arn:aws:s3:::b", "kms:ViaService=a=b"],
    ]);
    // Only the empty key is refused: every pair passed.
    expect(stderr).toBe(
      "keytrail: invalid options\n  <key>: Too small: expected string to have >=1 characters\n",
    );
  });
});
