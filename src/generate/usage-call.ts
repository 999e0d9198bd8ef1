import { aliasArn, aliasesAt, type GeneratedKey, keyStateAt } from "./generated-key.js";
import type { Caller } from "./identities.js";
import { accessDenied, type UsageOperation, usageCall } from "./kms-calls.js";
import type { Prng } from "./prng.js";
import type { CallSpec } from "./trail-record.js";
import type { AccountWorld, World } from "./world.js";

type Flow =
  | "app"
  | "dynamodb"
  | "ebs"
  | "autoscaling"
  | "partner"
  | "federated"
  | "person"
  | "denied"
  | "root";

const FLOWS: Flow[] = [
  "app",
  "dynamodb",
  "ebs",
  "autoscaling",
  "partner",
  "federated",
  "person",
  "denied",
  "root",
];
const FLOW_WEIGHTS = [55, 10, 12, 5, 8, 3, 4, 2, 1];
const APP_OPS: UsageOperation[] = [
  "Decrypt",
  "GenerateDataKey",
  "Encrypt",
  "GenerateDataKeyWithoutPlaintext",
  "DescribeKey",
  "ReEncrypt",
];
const APP_OP_WEIGHTS = [45, 28, 14, 5, 5, 3];

/** Keys already created at `time` (keys are sorted by creation time). */
function createdCount(keys: readonly GeneratedKey[], time: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] as GeneratedKey).createdAt <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A skewed pick: a few keys carry most of the traffic, as in real accounts. */
function pickKey(keys: readonly GeneratedKey[], count: number, prng: Prng): GeneratedKey {
  const r = prng.next();
  return keys[Math.floor(count * r * r)] as GeneratedKey;
}

function stateError(key: GeneratedKey, op: UsageOperation, time: number): CallSpec["error"] {
  const state = keyStateAt(key, time);
  if (state === "Deleted") return { code: "NotFoundException", message: `Key '${key.arn}' does not exist` };
  if (op === "DescribeKey") return undefined;
  if (state === "Disabled") return { code: "DisabledException", message: `${key.arn} is disabled.` };
  if (state === "PendingDeletion")
    return { code: "KMSInvalidStateException", message: `${key.arn} is pending deletion.` };
  return undefined;
}

type KeyName = "arn" | "id" | "alias";
const KEY_NAMES: KeyName[] = ["arn", "id", "alias"];
const KEY_NAME_WEIGHTS = [6, 3, 1];

/**
 * The key as the request names it, valid for that caller at that time: an alias only while it points to the
 * key (aliasesAt), a service the key ARN (as DynamoDB and EC2 log it), and a caller of another account only
 * the key ARN or an alias ARN — KMS refuses a bare key id or alias name across accounts. Decrypt mostly names
 * no key: the ciphertext does.
 */
function keyRef(
  op: UsageOperation,
  key: GeneratedKey,
  caller: Caller,
  time: number,
  prng: Prng,
): string | null {
  if (op === "Decrypt" && prng.chance(0.7)) return null;
  if (caller.type === "AWSService" || (caller.type === "AssumedRole" && caller.invokedBy)) return key.arn;
  const name = prng.weighted(KEY_NAMES, KEY_NAME_WEIGHTS);
  const foreign = "account" in caller && caller.account !== key.account;
  if (name === "id") return foreign ? key.arn : key.id;
  if (name === "arn") return key.arn;
  const aliases = aliasesAt(key, time);
  if (aliases.length === 0) return key.arn;
  const alias = prng.pick(aliases);
  return foreign ? aliasArn(key, alias) : alias;
}

interface FlowCall {
  caller: Caller;
  op: UsageOperation;
  context: Record<string, string> | null;
}

/** DynamoDB's first call on a table's key follows its CreateGrant by a few seconds (services-dynamodb). */
const GRANT_SETTLE = 2_000;

function flowCall(
  flow: Flow,
  key: GeneratedKey,
  time: number,
  owner: AccountWorld,
  world: World,
  prng: Prng,
): FlowCall {
  switch (flow) {
    case "dynamodb": {
      // DynamoDB uses the key of a table only, under the grant it created for the table (key-plan.ts).
      const table = key.table;
      if (table === null || time < table.since + GRANT_SETTLE)
        return flowCall("app", key, time, owner, world, prng);
      return {
        caller: { type: "AWSService", service: "dynamodb.amazonaws.com" },
        op: prng.pick(["GenerateDataKey", "Decrypt"]),
        context: { "aws:dynamodb:tableName": table.name, "aws:dynamodb:subscriberId": key.account },
      };
    }
    case "ebs":
    case "autoscaling":
      return {
        caller: flow === "ebs" ? owner.ebsRole : owner.autoscalingRole,
        op: prng.pick(["GenerateDataKeyWithoutPlaintext", "Decrypt", "Decrypt"]),
        context: { "aws:ebs:id": `vol-0${prng.hex(16)}` },
      };
    case "partner": {
      const partner = world.accounts.find((account) => account.id === key.partner);
      if (partner) return { caller: partner.partnerRole, op: "Decrypt", context: { batch: "settlement" } };
      return flowCall("app", key, time, owner, world, prng);
    }
    case "federated":
      return { caller: owner.federated, op: "Decrypt", context: null };
    case "person":
      return {
        caller: prng.pick(owner.people),
        op: prng.pick(["Encrypt", "Decrypt", "DescribeKey"]),
        context: null,
      };
    case "denied":
      return { caller: prng.pick(owner.people), op: "Decrypt", context: null };
    case "root":
      return { caller: owner.root, op: "DescribeKey", context: null };
    case "app":
      return {
        caller: prng.pick(owner.appRoles),
        op: prng.weighted(APP_OPS, APP_OP_WEIGHTS),
        context: prng.chance(0.8)
          ? { Department: prng.pick(["Finance", "Sales", "Ops"]), order: `A-${prng.int(100_000)}` }
          : null,
      };
  }
}

/**
 * One KMS usage call at `time` on a key that exists then, or null before the first key. Calls on a disabled,
 * pending-deletion or deleted key fail as KMS fails them; `allowCrossAccount` false keeps it to one record.
 */
export function usageAt(
  world: World,
  keys: readonly GeneratedKey[],
  time: number,
  allowCrossAccount: boolean,
  prng: Prng,
): CallSpec | null {
  const count = createdCount(keys, time);
  if (count === 0) return null;
  let key = pickKey(keys, count, prng);
  // Applications stop using a key they cannot use; a few stragglers still try.
  if (keyStateAt(key, time) !== "Enabled" && prng.chance(0.9)) key = pickKey(keys, count, prng);
  const owner = world.accounts.find((account) => account.id === key.account) as AccountWorld;
  let flow = prng.weighted(FLOWS, FLOW_WEIGHTS);
  if (flow === "partner" && (!allowCrossAccount || key.partner === null)) flow = "app";
  const call = flowCall(flow, key, time, owner, world, prng);
  const error = flow === "denied" ? accessDenied(call.caller, call.op, key) : stateError(key, call.op, time);
  const ref = keyRef(call.op, key, call.caller, time, prng);
  return usageCall(call.op, key, call.caller, time, call.context, ref, error);
}
