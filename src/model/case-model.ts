import type { CaseData } from "./case-data.js";
import { holdsAt, intervalAt } from "./interval.js";
import type {
  AliasInterval,
  CustomKeyStoreRecord,
  GrantRecord,
  KeyRecord,
  KeyState,
  ManagementEvent,
} from "./types.js";

function index<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const list = map.get(key);
      if (list) list.push(item);
      else map.set(key, [item]);
    }
  }
  return map;
}

/** A custom key store as answers name it: its id, and its name when the trail logged one. */
export function customKeyStoreLabel(store: CustomKeyStoreRecord): string {
  return `custom key store ${store.id}${store.name ? ` (${store.name})` : ""}`;
}

/** Where a custom key store id is unique: its account and Region. */
export function storeSlot(account: string, region: string, id: string): string {
  return `${account}|${region}|${id}`;
}

export interface StateAt {
  state: KeyState;
  /** false when the trail cannot tell (Unknown before the first event of a key not created in the trail) */
  known: boolean;
  confidence: "recorded" | "inferred" | "unknown";
  since: number | null;
  eventIds: string[];
}

/** A loaded case with the indexes questions need, built once (no scans over all keys or grants per question). */
export class CaseModel {
  readonly keysByArn: Map<string, KeyRecord>;
  readonly keysById: Map<string, KeyRecord[]>;
  readonly aliasesByName: Map<string, AliasInterval[]>;
  readonly aliasesByKey: Map<string, AliasInterval[]>;
  readonly grantsByKey: Map<string, GrantRecord[]>;
  readonly grantsById: Map<string, GrantRecord>;
  readonly eventsByKey: Map<string, ManagementEvent[]>;
  /** Custom key stores by `account|region|id` (a key names its store by id, in its own account and Region) */
  readonly storesBySlot: Map<string, CustomKeyStoreRecord>;

  constructor(readonly data: CaseData) {
    this.keysByArn = new Map(data.keys.map((key) => [key.arn, key]));
    this.keysById = index(data.keys, (key) => [key.keyId]);
    this.aliasesByName = index(data.aliases, (interval) => [interval.alias.name]);
    this.aliasesByKey = index(data.aliases, (interval) => [interval.value]);
    this.grantsByKey = index(data.grants, (grant) => [grant.keyArn]);
    this.grantsById = new Map(data.grants.map((grant) => [grant.grantId, grant]));
    this.eventsByKey = index(data.events, (event) => [...new Set(event.keys)]);
    this.storesBySlot = new Map(
      (data.customKeyStores ?? []).map((store) => [storeSlot(store.account, store.region, store.id), store]),
    );
  }

  /** The custom key store the key was created in, when the trail shows it. */
  storeOf(key: KeyRecord): CustomKeyStoreRecord | null {
    if (key.customKeyStoreId === undefined) return null;
    return this.storesBySlot.get(storeSlot(key.account, key.region, key.customKeyStoreId)) ?? null;
  }

  /**
   * The key's state at t. Before its CreateKey it did not exist, unless records before that set a state
   * (samples that reuse one key id, a trail merged from several sources): what they record is what the
   * history shows, and every question must say the same.
   */
  stateAt(key: KeyRecord, t: number): StateAt {
    const interval = intervalAt(key.states, t);
    const recorded = interval !== null && interval.confidence !== "unknown";
    if (key.createdAt !== null && t < key.createdAt && !recorded) {
      return { state: "NotCreated", known: true, confidence: "recorded", since: null, eventIds: [] };
    }
    if (!interval || interval.confidence === "unknown") {
      return {
        state: "Unknown",
        known: false,
        confidence: "unknown",
        since: interval?.from ?? null,
        eventIds: [],
      };
    }
    return {
      state: interval.value,
      known: true,
      confidence: interval.confidence,
      since: interval.from,
      eventIds: interval.openedBy,
    };
  }

  aliasesAt(keyArn: string, t: number): AliasInterval[] {
    return (this.aliasesByKey.get(keyArn) ?? []).filter((interval) => holdsAt(interval, t));
  }

  /** The key's alias intervals that overlap the half-open window [from, to): none when `to <= from`. */
  aliasesDuring(keyArn: string, from: number, to: number): AliasInterval[] {
    return (this.aliasesByKey.get(keyArn) ?? []).filter(
      (interval) => interval.from < to && (interval.to === null || from < interval.to),
    );
  }

  grantsAt(keyArn: string, t: number): GrantRecord[] {
    return (this.grantsByKey.get(keyArn) ?? []).filter((grant) => holdsAt(grant, t));
  }
}
