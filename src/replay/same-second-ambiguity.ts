import type { NormalizedEvent } from "../events/index.js";
import type { KeyRecord, KeyState, ManagementEvent } from "../model/index.js";
import { transition } from "../model/index.js";
import { creationOf, gateAllows, type StateWrite, stateWriteOf } from "./same-second-rules.js";
import type { ReplayState } from "./state.js";

/**
 * Calls on one key in one second whose order the log does not give and KMS's rules do not force, and whose
 * orders end differently (DisableKey and EnableKey, two PutKeyPolicy calls, …). The replay applies one order;
 * what that order leaves is then not asserted as recorded (docs/replay.md, "Calls in the same second").
 */
export type AmbiguousSlot = "state" | "policy" | "rotation";

export interface Ambiguity {
  key: string;
  slot: AmbiguousSlot;
  /** eventIds of the calls that set the slot in that second */
  eventIds: string[];
  /** For the state: every state some allowed order ends in */
  states: KeyState[];
}

/** Beyond this many distinct interleavings of one key's state calls, no search: differing targets suffice. */
const SEARCH_LIMIT = 4096;

/** The ambiguities of one second's events, given each key's state before that second. */
export function findAmbiguities(
  events: readonly NormalizedEvent[],
  stateBefore: (keyArn: string) => KeyState,
): Ambiguity[] {
  const starts = new Map<string, KeyState>();
  for (const event of events) {
    const creation = creationOf(event);
    if (creation) starts.set(creation.key, creation.initial);
  }
  const found: Ambiguity[] = [];
  for (const [key, writes] of groupByKey(events, stateWriteOf)) {
    const start = starts.get(key) ?? stateBefore(key);
    const ends =
      possibleEnds(
        start,
        writes.map(([write]) => write),
      ) ?? targets(start, writes);
    if (ends.size > 1) found.push(ambiguity(key, "state", writes, [...ends].sort()));
  }
  for (const [key, writes] of groupByKey(events, policyWriteOf)) {
    if (new Set(writes.map(([write]) => write.value)).size > 1)
      found.push(ambiguity(key, "policy", writes, []));
  }
  for (const [key, writes] of groupByKey(events, rotationWriteOf)) {
    if (new Set(writes.map(([write]) => write.value)).size > 1)
      found.push(ambiguity(key, "rotation", writes, []));
  }
  return found;
}

function ambiguity<T>(
  key: string,
  slot: AmbiguousSlot,
  writes: [T, NormalizedEvent][],
  states: KeyState[],
): Ambiguity {
  return { key, slot, eventIds: writes.map(([, event]) => event.eventId), states };
}

function targets(start: KeyState, writes: [StateWrite, NormalizedEvent][]): Set<KeyState> {
  return new Set(writes.map(([write]) => write.next(start)));
}

/** The calls that write a slot, with what each writes, per key. */
function groupByKey<T extends { key: string }>(
  events: readonly NormalizedEvent[],
  writeOf: (event: NormalizedEvent) => T | null,
): Map<string, [T, NormalizedEvent][]> {
  const groups = new Map<string, [T, NormalizedEvent][]>();
  for (const event of events) {
    const write = writeOf(event);
    if (!write) continue;
    const group = groups.get(write.key) ?? [];
    group.push([write, event]);
    groups.set(write.key, group);
  }
  return groups;
}

/** A call that sets a key's policy or rotation, with the value it sets (to tell equal calls apart). */
interface ValueWrite {
  key: string;
  value: string;
}

function policyWriteOf(event: NormalizedEvent): ValueWrite | null {
  if (event.source !== "kms" || event.error || event.name !== "PutKeyPolicy" || !event.key.arn) return null;
  return { key: event.key.arn, value: JSON.stringify(event.policy) ?? "null" };
}

function rotationWriteOf(event: NormalizedEvent): ValueWrite | null {
  if (event.source !== "kms" || event.error || !event.key?.arn) return null;
  if (event.name === "EnableKeyRotation")
    return { key: event.key.arn, value: `on ${event.rotationPeriodInDays ?? ""}` };
  return event.name === "DisableKeyRotation" ? { key: event.key.arn, value: "off" } : null;
}

/**
 * Every state some allowed order of the calls ends in, by search over how many calls of each kind are left
 * (memoized, so repeated calls cost nothing); null when the calls are too many to search.
 */
function possibleEnds(start: KeyState, writes: readonly StateWrite[]): Set<KeyState> | null {
  const kinds = new Map<string, { write: StateWrite; count: number }>();
  for (const write of writes) {
    const id = `${write.gate}|${write.kind}`;
    const kind = kinds.get(id) ?? { write, count: 0 };
    kind.count++;
    kinds.set(id, kind);
  }
  const list = [...kinds.values()];
  if (list.reduce((space, kind) => space * (kind.count + 1), 1) > SEARCH_LIMIT) return null;
  const memo = new Map<string, Set<KeyState>>();
  const walk = (state: KeyState, left: number[]): Set<KeyState> => {
    if (left.every((count) => count === 0)) return new Set([state]);
    const id = `${state}|${left.join(",")}`;
    const known = memo.get(id);
    if (known) return known;
    const ends = new Set<KeyState>();
    list.forEach(({ write }, i) => {
      if (!left[i] || !gateAllows(write.gate, state)) return;
      const rest = left.map((count, j) => (j === i ? count - 1 : count));
      for (const end of walk(write.next(state), rest)) ends.add(end);
    });
    memo.set(id, ends);
    return ends;
  };
  return walk(
    start,
    list.map((kind) => kind.count),
  );
}

/**
 * Lowers what the applied order left for each ambiguity to confidence unknown (a state becomes Unknown, as the
 * query side reads an unknown interval), and says why on the calls' timeline lines.
 */
export function markAmbiguities(
  state: ReplayState,
  t: number,
  ambiguities: readonly Ambiguity[],
  applied: readonly ManagementEvent[],
): void {
  const byId = new Map(applied.map((event) => [event.eventId, event]));
  for (const found of ambiguities) {
    const key = state.keys.get(found.key);
    if (!key) continue;
    const events = found.eventIds.flatMap((id) => byId.get(id) ?? []);
    const ids = events.flatMap((event) => [event.eventId, ...event.alsoEventIds]);
    const note = lower(key, t, found, ids);
    for (const event of events) {
      event.summary = `${event.summary} [same second as ${events.length - 1} other call(s), order not logged: ${note}]`;
      const slots = (event.details.sameSecondUnknown as AmbiguousSlot[] | undefined) ?? [];
      event.details.sameSecondUnknown = [...slots, found.slot];
    }
  }
}

/** Lowers the slot's open interval; returns the note for the timeline. */
function lower(key: KeyRecord, t: number, found: Ambiguity, ids: string[]): string {
  if (found.slot === "state") {
    const last = key.states.at(-1);
    if (last && last.from === t && last.to === null) {
      last.value = "Unknown";
      last.confidence = "unknown";
      last.openedBy = ids;
    } else {
      transition(key.states, t, "Unknown", ids, "unknown");
    }
    return `the state after it may be ${found.states.join(" or ")}, so it is Unknown`;
  }
  if (found.slot === "policy") {
    const versions = key.policies.filter(
      (version) => version.from === t && ids.includes(version.openedBy[0] ?? ""),
    );
    const open = key.policies.at(-1);
    if (open && open.to === null && versions.includes(open)) open.confidence = "unknown";
    const numbers = versions.map((version) => `v${version.version}`).join(" or ");
    return `policy ${numbers} may be in force after it; v${open?.version ?? "?"} is kept with confidence unknown`;
  }
  const open = key.rotation.at(-1);
  if (open && open.from === t && open.to === null) open.confidence = "unknown";
  return "rotation may be on or off after it; kept with confidence unknown";
}
