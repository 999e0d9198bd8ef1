import { keyColumnOf, type UsageStore } from "../../model/index.js";
import {
  attributorOf,
  type CallAttribution,
  CONTRADICTED,
  callFactsOf,
  type NoneReason,
  UNEXPLAINED,
} from "../attribution.js";
import { EventIdSample } from "../event-id-sample.js";
import { iso } from "../resolve-key.js";
import { inferred, keysFromAliasGround, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";

/** Successful calls of one principal on one key that nothing explains, for one reason. */
interface Unexplained {
  principal: string;
  key: string;
  reason: NoneReason;
  operations: Set<string>;
  /** What refused them: the Deny statements or key states named */
  details: Set<string>;
  sample: EventIdSample;
  first: number;
  last: number;
  /** The last row counted: a ReEncrypt within one key is judged on both sides but is one call. */
  lastRow: number;
  /** Calls whose key came from the alias history, not their record (usage's keyFromAlias) */
  keyFromAlias: number;
  region: string;
}

/** The Deny or key state behind a contradicted call, in words. */
function detailOf(attribution: CallAttribution): string | null {
  if (attribution.keyState) return `the key was ${attribution.keyState.blockedBy}`;
  const deny = attribution.denies?.[0];
  if (attribution.noneReason !== "denied-by-policy" || !deny) return null;
  return `Deny statement #${deny.statement}${deny.sid ? ` "${deny.sid}"` : ""} reaches the caller`;
}

const WHY: Partial<Record<NoneReason, string>> = {
  "denied-by-policy": "an explicit Deny in the key policy in force refused the caller",
  "key-state": "the key's state refused the operation",
  "no-route":
    "no grant or key-policy statement in force covers the caller: a grant or policy change before the trail, in a gap, or only in another account's trail",
};

/**
 * The finding is keytrail's judgement of logged calls against the replayed state, never a record of its own:
 * inferred, and what it rests on.
 */
const RESTS_ON: Partial<Record<NoneReason, string>> = {
  "denied-by-policy":
    "rests on keytrail's evaluation of the key policy it replayed, which the logged successes contradict",
  "key-state": "rests on the key state keytrail replayed, which the logged successes contradict",
  "no-route":
    "rests on an absence: IAM policies, state before the trail and other accounts' trails are not in the records",
};

/**
 * Successful calls that the replayed state says could not have happened (an explicit Deny, a key state that
 * refuses them) or that nothing in it explains (no route): judged call by call by usage's attribution, one
 * detection per principal, key and reason, of the calls in the window. Calls under an unknown policy are not
 * judged.
 */
export function unexplainedUse(context: DetectorContext): Detection[] {
  const { model } = context;
  const usage = model.data.usage;
  const attributor = attributorOf(model);
  const groups = new Map<string, Unexplained>();
  for (const row of rowsToJudge(usage, context.key, context.window)) {
    if (usage.field(row, "errorCode") !== null) continue;
    const sides = [
      ["source", usage.field(row, "key")],
      ["destination", usage.field(row, "destinationKey")],
    ] as const;
    for (const [side, key] of sides) {
      if (key === null) continue;
      const attribution = attributor.attribute(callFactsOf(usage, row, key, side));
      const reason = attribution.noneReason;
      if (reason === null || !UNEXPLAINED.has(reason)) continue;
      const group = groupOf(groups, usage, row, key, reason);
      const detail = detailOf(attribution);
      if (detail) group.details.add(detail);
      if (group.lastRow === row) continue;
      group.lastRow = row;
      if (usage.keyFromAlias(row, keyColumnOf(side))) group.keyFromAlias++;
      group.operations.add(usage.field(row, "operation") ?? "");
      group.sample.add(row);
      group.last = usage.timeAt(row);
    }
  }
  return [...groups.values()].map((group) =>
    detection(model.keysByArn.get(group.key)?.account, usage, group),
  );
}

/** The calls in the window, or only those on the one key asked about. */
function* rowsToJudge(
  usage: UsageStore,
  key: string | undefined,
  window: DetectorContext["window"],
): Iterable<number> {
  const { start, end } = usage.rowRange(window.from, window.to);
  if (key !== undefined) {
    yield* usage.rowsOfKey(key, start, end);
    return;
  }
  for (let row = start; row < end; row++) yield row;
}

function groupOf(
  groups: Map<string, Unexplained>,
  usage: UsageStore,
  row: number,
  key: string,
  reason: NoneReason,
): Unexplained {
  const principal = usage.field(row, "principal") ?? "";
  const id = `${principal}\u0000${key}\u0000${reason}`;
  let group = groups.get(id);
  if (!group) {
    const time = usage.timeAt(row);
    group = {
      principal,
      key,
      reason,
      operations: new Set(),
      details: new Set(),
      sample: new EventIdSample(),
      first: time,
      last: time,
      lastRow: -1,
      keyFromAlias: 0,
      region: usage.field(row, "region") ?? "",
    };
    groups.set(id, group);
  }
  return group;
}

function detection(keyAccount: string | undefined, usage: UsageStore, group: Unexplained): Detection {
  const { rows, omitted } = group.sample.rows();
  const count = group.sample.count;
  const details = group.details.size > 0 ? ` (${[...group.details].join("; ")})` : "";
  const listed = omitted > 0 ? `; evidence lists the first and last of them, ${omitted} left out` : "";
  return {
    severity: CONTRADICTED.has(group.reason) ? "high" : "medium",
    time: group.first,
    account: keyAccount ?? group.key.split(":")[4] ?? "",
    region: group.region,
    explanation: `${count} successful call(s) (${[...group.operations].join(", ")}) by ${group.principal} on ${group.key} between ${iso(group.first)} and ${iso(group.last)} that nothing in the replayed state explains: ${WHY[group.reason] ?? group.reason}${details}${listed}`,
    eventIds: rows.flatMap((row) => [usage.field(row, "eventId") ?? "", ...usage.alsoEventIds(row)]),
    keys: [group.key],
    principals: [group.principal],
    usageWindow: { from: group.first, to: group.last + 1 },
    ...weakest(
      inferred(RESTS_ON[group.reason] ?? `rests on keytrail's attribution (${group.reason})`),
      keysFromAliasGround(group.keyFromAlias),
    ),
  };
}
