import type { AliasRef, NormalizedEvent } from "../events/index.js";
import type { KeyState } from "../model/index.js";
import {
  creationOf,
  type Gate,
  gateAllows,
  type StateWrite,
  stateWriteOf,
  tokensOf,
} from "./same-second-rules.js";

/** What the order needs to know of the replay so far (read only). */
export interface OrderView {
  /** The state a key is in before the second (Unknown for a key not seen yet) */
  stateOf(keyArn: string): KeyState;
  aliasExists(alias: AliasRef): boolean;
}

/** A min-heap of indices: a group's events are sorted by eventId, so the smallest index is the smallest id. */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] ?? 0) <= value) break;
      items[i] = items[parent] ?? 0;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] ?? 0) < (items[left] ?? 0) ? right : left;
      if ((items[child] ?? 0) >= last) break;
      items[i] = items[child] ?? 0;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * The order in which to apply the management events of one timestamp (CloudTrail: one second), given sorted by
 * eventId: repeatedly the first event (by eventId) that KMS would allow now. A key's creation comes before the
 * calls on it, a grant's or alias's creation before its retirement or deletion, CancelKeyDeletion after the
 * ScheduleKeyDeletion that made the key pending, and so on (same-second-rules.ts). When no event is allowed
 * (the log misses a call, or contradicts the rules), the first remaining one is applied anyway.
 *
 * O(m log m) for m events: an event waits on a counter of the tokens it needs, or, when only the key's state
 * stops it, in a heap per key and gate whose head alone is offered again when the state changes.
 */
export function orderSameSecond(events: readonly NormalizedEvent[], view: OrderView): number[] {
  const steps = events.map((event, index) => describe(event, index, view));
  const providers = new Set(steps.flatMap((step) => step.provides));
  const waiting = new Map<string, number[]>();
  const unmet = steps.map((step) => {
    const needed = step.requires.filter((token) => providers.has(token) && !step.provides.includes(token));
    for (const token of needed) push(waiting, token, step.index);
    return needed.length;
  });
  const states = new Map<string, KeyState>();
  const stateOf = (key: string) => states.get(key) ?? view.stateOf(key);
  const parked = new Map<string, IndexHeap>();
  const candidates = new IndexHeap();
  const done = new Uint8Array(steps.length);
  const order: number[] = [];

  const offerHead = (key: string, gate: Gate) => {
    const heap = parked.get(`${key}|${gate}`);
    while (heap && heap.size > 0 && done[heap.peek() ?? 0]) heap.pop();
    const head = heap?.peek();
    if (head !== undefined && gateAllows(gate, stateOf(key))) candidates.push(head);
  };
  const offerKey = (key: string) => {
    for (const gate of GATES) offerHead(key, gate);
  };
  const makeReady = (index: number) => {
    const write = steps[index]?.write;
    if (!write) {
      candidates.push(index);
      return;
    }
    const slot = `${write.key}|${write.gate}`;
    const heap = parked.get(slot) ?? new IndexHeap();
    parked.set(slot, heap);
    heap.push(index);
    offerHead(write.key, write.gate);
  };
  const emit = (index: number) => {
    const step = steps[index];
    if (!step || done[index]) return;
    done[index] = 1;
    order.push(index);
    const changed =
      step.creation ??
      (step.write ? { key: step.write.key, initial: step.write.next(stateOf(step.write.key)) } : null);
    if (changed && stateOf(changed.key) !== changed.initial) states.set(changed.key, changed.initial);
    if (changed) offerKey(changed.key);
    for (const token of step.provides) {
      for (const dependent of waiting.get(token) ?? []) {
        const left = (unmet[dependent] ?? 0) - 1;
        unmet[dependent] = left;
        if (left === 0 && !done[dependent]) makeReady(dependent);
      }
      waiting.delete(token);
    }
  };

  for (const step of steps) if (unmet[step.index] === 0) makeReady(step.index);
  let firstLeft = 0;
  while (order.length < steps.length) {
    const next = candidates.pop();
    if (next === undefined) {
      // Nothing is allowed: the log lacks a call or breaks a rule. Apply the first remaining event anyway.
      while (done[firstLeft]) firstLeft++;
      emit(firstLeft);
      continue;
    }
    const write = steps[next]?.write;
    if (done[next] || (write && !gateAllows(write.gate, stateOf(write.key)))) continue;
    emit(next);
  }
  return order;
}

const GATES: readonly Gate[] = ["active", "pending", "any"];

interface Step {
  index: number;
  provides: string[];
  requires: string[];
  creation: { key: string; initial: KeyState } | null;
  write: StateWrite | null;
}

function describe(event: NormalizedEvent, index: number, view: OrderView): Step {
  const { provides, requires } = tokensOf(event, (alias) => view.aliasExists(alias));
  return { index, provides, requires, creation: creationOf(event), write: stateWriteOf(event) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
