import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isPolicyParseProblem, parsePolicy, statementsFor } from "../../src/policy/index.js";

// The public samples sit beside the repository (../shared/data); CI must have them, local runs may not.
const DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data");
const present = existsSync(DATA);
if (!present && process.env.CI === "true")
  throw new Error(`shared data folder missing at ${DATA} (required under CI)`);
if (!present) console.warn(`skipping policy tests on shared data: ${DATA} not found`);

/** The key policy logged by one record (CreateKey/PutKeyPolicy requestParameters.policy). */
function loggedPolicy(file: string, eventId: string): unknown {
  const records = (
    JSON.parse(readFileSync(join(DATA, file), "utf8")) as { Records: Record<string, unknown>[] }
  ).Records;
  const record = records.find((r) => r.eventID === eventId && r.eventSource === "kms.amazonaws.com");
  return (record?.requestParameters as { policy?: unknown } | undefined)?.policy;
}

const principalsFor = (file: string, eventId: string, operation: string) => {
  const policy = parsePolicy(loggedPolicy(file, eventId));
  if (isPolicyParseProblem(policy)) throw new Error(`${file}: ${policy.reason}`);
  return statementsFor(policy, operation).principals.map((p) => [p.principal, p.via[0]?.type, p.conditional]);
};

describe.skipIf(!present)("key policies logged in the public samples", () => {
  it("PutKeyPolicy of the default policy (KMS guide) delegates to the account", () => {
    expect(
      principalsFor(
        "aws-kms-developer-guide/ct-put-key-policy.json",
        "c217db1f-903f-4a2f-8f88-9580182d6313",
        "Decrypt",
      ),
    ).toEqual([["111122223333", "iamDelegation", false]]);
  });

  it("CreateKey with user principals (KMS guide, 2020) gives Bob CreateGrant only", () => {
    const file = "aws-kms-developer-guide-history/ct-createkey.json";
    const id = "ba116326-1792-4784-87dd-a688d1cb42ec";
    expect(principalsFor(file, id, "CreateGrant")).toEqual([
      ["arn:aws:iam::012345678901:user/Bob", "keyPolicy", false],
      ["arn:aws:iam::123456789012:user/Alice", "keyPolicy", false],
    ]);
    expect(principalsFor(file, id, "Encrypt").map(([p]) => p)).toEqual([
      "arn:aws:iam::012345678901:user/Charlie",
      "arn:aws:iam::123456789012:user/Alice",
    ]);
  });

  it("PutKeyPolicy opening Decrypt to org roles (Panther) is conditional for anyone", () => {
    const rows = principalsFor(
      "panther-analysis/all_cloudtrail_test_events.json",
      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
      "Decrypt",
    );
    expect(rows).toEqual([
      ["*", "keyPolicy", true],
      ["123456789012", "iamDelegation", false],
      ["arn:aws:iam::123456789012:role/ExampleRoleAssumption1", "keyPolicy", false],
      ["arn:aws:iam::123456789012:role/ExampleRoleAssumption2", "keyPolicy", false],
    ]);
  });
});
