import { type GeneratedKey, keyStateAt } from "./generated-key.js";
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

function keyRef(op: UsageOperation, key: GeneratedKey, prng: Prng): string | null {
  if (op === "Decrypt" && prng.chance(0.7)) return null;
  return prng.weighted([key.arn, key.id, key.alias], [6, 3, 1]);
}

interface FlowCall {
  caller: Caller;
  op: UsageOperation;
  context: Record<string, string> | null;
}

function flowCall(flow: Flow, key: GeneratedKey, owner: AccountWorld, world: World, prng: Prng): FlowCall {
  switch (flow) {
    case "dynamodb":
      return {
        caller: { type: "AWSService", service: "dynamodb.amazonaws.com" },
        op: prng.pick(["GenerateDataKey", "Decrypt"]),
        context: {
          "aws:dynamodb:tableName": `${key.alias.slice(6)}-table`,
          "aws:dynamodb:subscriberId": key.account,
        },
      };
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
      return flowCall("app", key, owner, world, prng);
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
  const call = flowCall(flow, key, owner, world, prng);
  const error = flow === "denied" ? accessDenied(call.caller, call.op, key) : stateError(key, call.op, time);
  return usageCall(call.op, key, call.caller, time, call.context, keyRef(call.op, key, prng), error);
}
