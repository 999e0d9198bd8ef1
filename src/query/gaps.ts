import { z } from "zod";
import type { CaseModel, Confidence, ManagementEvent, UsageStore } from "../model/index.js";
import { childList, childMap } from "./child-map.js";
import { formatDuration } from "./format-duration.js";
import { type CoverageRow, coverageRows } from "./replay-summary.js";
import { iso } from "./resolve-key.js";

export type GapReason =
  | "logging-stopped"
  | "trail-deleted"
  | "kms-excluded"
  | "silence"
  | "unknown-key-state";

/** A window in which the trail may not show what happened, for one account and Region (or one key). */
export interface Gap {
  account: string;
  region: string;
  from: number;
  /** null: the window lasts to the end of what was read */
  to: number | null;
  reason: GapReason;
  detail: string;
  /** The records that opened and closed the window (none for a silence) */
  eventIds: string[];
  /** recorded: the trail says so; inferred: keytrail assumed the trail's scope or read a silence */
  confidence: Confidence;
  /** For unknown-key-state: the key whose state is not known in the window */
  keyArn: string | null;
  trail: string | null;
}

export interface GapOptions {
  /** A stretch with no record longer than this is a silence (default one hour) */
  silenceMs?: number;
}

export const DEFAULT_SILENCE_MS = 60 * 60 * 1000;

const TRAIL_CONTROL = new Set([
  "CreateTrail",
  "DeleteTrail",
  "UpdateTrail",
  "StartLogging",
  "StopLogging",
  "PutEventSelectors",
]);

// The case file is outside data: read the replayed control-call details through a schema.
const trailDetailsSchema = z.looseObject({
  trailName: z.string().nullish(),
  trailArn: z.string().nullish(),
  kmsManagementLogged: z.boolean().nullish(),
  isMultiRegion: z.boolean().nullish(),
});

const TRAIL_ARN = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/;

interface TrailState {
  name: string;
  account: string;
  homeRegion: string;
  multiRegion: boolean | null;
  stopped: { from: number; eventIds: string[]; reason: "logging-stopped" | "trail-deleted" } | null;
  excluded: { from: number; eventIds: string[] } | null;
}

interface TrailWindow {
  trail: TrailState;
  from: number;
  to: number | null;
  reason: "logging-stopped" | "trail-deleted" | "kms-excluded";
  eventIds: string[];
  detail: string;
}

const cache = new WeakMap<CaseModel, Map<number, Gap[]>>();
/** Gaps of some places only (see gapsOfPlaces), by their place keys */
const placeCache = new WeakMap<CaseModel, Map<string, Gap[]>>();

/** Every gap of the case (DESIGN §4 Coverage), sorted by account, Region and time; cached per model. */
export function computeGaps(model: CaseModel, options: GapOptions = {}): Gap[] {
  const silenceMs = options.silenceMs ?? DEFAULT_SILENCE_MS;
  const perModel = cache.get(model) ?? new Map<number, Gap[]>();
  cache.set(model, perModel);
  const cached = perModel.get(silenceMs);
  if (cached) return cached;
  const gaps = gapsWhere(model, silenceMs, null);
  perModel.set(silenceMs, gaps);
  return gaps;
}

/**
 * The gaps of some places only, as `computeGaps` would give them: a question about one key needs its place's,
 * and the silences of the others would cost a walk through all their usage rows. Cached per model and places.
 */
function gapsOfPlaces(model: CaseModel, places: Places): Gap[] {
  if (places === null) return computeGaps(model);
  const whole = cache.get(model)?.get(DEFAULT_SILENCE_MS);
  if (whole !== undefined) return whole.filter((gap) => atPlace(places, gap.account, gap.region));
  const id = [...new Set(places.map(({ account, region }) => placeKey(account, region)))]
    .sort()
    .join("\u0001");
  const perModel = placeCache.get(model) ?? new Map<string, Gap[]>();
  placeCache.set(model, perModel);
  let gaps = perModel.get(id);
  if (!gaps) {
    gaps = gapsWhere(model, DEFAULT_SILENCE_MS, places);
    perModel.set(id, gaps);
  }
  return gaps;
}

/** Every gap, or those at `places` (null: everywhere), sorted. */
function gapsWhere(model: CaseModel, silenceMs: number, places: Places): Gap[] {
  const atPlaces = (gap: Gap) => atPlace(places, gap.account, gap.region);
  const trailGaps = trailWindows(model.data.events)
    .flatMap((window) => windowGaps(model, window))
    .filter(atPlaces);
  return [
    ...trailGaps,
    ...silences(model, silenceMs, trailGaps, places),
    ...unknownKeyStates(model).filter(atPlaces),
  ].sort(compareGaps);
}

/**
 * Caveats for an answer about `account`/`region` at `t`: the trail-wide gaps holding then, and a note when `t`
 * lies outside the records read. Key-specific gaps are left to the key's own answer.
 */
export function gapCaveats(model: CaseModel, account: string, region: string, t: number): string[] {
  const caveats = gapsOfPlaces(model, [{ account, region }])
    .filter((gap) => gap.keyArn === null && inGap(gap, t))
    .map((gap) => `${iso(t)} falls in a gap of ${account}/${region}: ${describeGap(gap)}`);
  const span = model.data.coverage.find((c) => c.account === account && c.region === region);
  if (!span) caveats.push(`no record of ${account}/${region} was read: the trail says nothing about it`);
  else if (t < span.from || t > span.to)
    caveats.push(
      `${iso(t)} is outside the records read for ${account}/${region} (${iso(span.from)} .. ${iso(span.to)})`,
    );
  return caveats;
}

/** Accounts and Regions a question is about; null: all of them. */
type Places = readonly { account: string; region: string }[] | null;

function atPlace<T>(places: readonly { account: T; region: T }[] | null, account: T, region: T): boolean {
  return places === null || places.some((place) => place.account === account && place.region === region);
}

/**
 * Every gap (key-specific ones included) that overlaps the window [from, to), limited to the given accounts
 * and Regions (the keys asked about) when there are any.
 */
export function gapsInWindow(model: CaseModel, from: number, to: number, places: Places = null): Gap[] {
  return gapsOfPlaces(model, places).filter((gap) => gap.from < to && (gap.to === null || gap.to > from));
}

/**
 * Caveats for an answer about a window [from, to): the account-level gaps of `gapsInWindow`. Key-specific gaps
 * are left to the key's own answer.
 */
export function gapCaveatsInWindow(
  model: CaseModel,
  from: number,
  to: number,
  places: Places = null,
): string[] {
  return gapsInWindow(model, from, to, places)
    .filter((gap) => gap.keyArn === null)
    .map((gap) => `the window overlaps a gap of ${gap.account}/${gap.region}: ${describeGap(gap)}`);
}

export function describeGap(gap: Gap): string {
  const until = gap.to === null ? "the end of the records read" : iso(gap.to);
  return `${gap.reason} from ${iso(gap.from)} to ${until} (${gap.detail})`;
}

function inGap(gap: Gap, t: number): boolean {
  return gap.from <= t && (gap.to === null || t < gap.to);
}

function compareGaps(a: Gap, b: Gap): number {
  return (
    a.account.localeCompare(b.account) ||
    a.region.localeCompare(b.region) ||
    a.from - b.from ||
    a.reason.localeCompare(b.reason) ||
    (a.keyArn ?? "").localeCompare(b.keyArn ?? "")
  );
}

/** Walks the successful CloudTrail control calls in time order and cuts each trail's blind windows. */
function trailWindows(events: readonly ManagementEvent[]): TrailWindow[] {
  const trails = new Map<string, TrailState>();
  const windows: TrailWindow[] = [];
  const control = events
    .filter((event) => TRAIL_CONTROL.has(event.name) && event.error === null)
    .sort((a, b) => a.time - b.time || a.eventId.localeCompare(b.eventId));
  for (const event of control) {
    const details = trailDetailsSchema.safeParse(event.details);
    if (!details.success) continue;
    const trail = trailFor(trails, event, details.data);
    const ids = [event.eventId, ...event.alsoEventIds];
    const closeStopped = () => {
      if (!trail.stopped) return;
      windows.push({
        trail,
        ...trail.stopped,
        to: event.time,
        eventIds: [...trail.stopped.eventIds, ...ids],
        detail: "",
      });
      trail.stopped = null;
    };
    const closeExcluded = () => {
      if (!trail.excluded) return;
      windows.push({
        trail,
        ...trail.excluded,
        to: event.time,
        reason: "kms-excluded",
        eventIds: [...trail.excluded.eventIds, ...ids],
        detail: "",
      });
      trail.excluded = null;
    };
    if (details.data.isMultiRegion !== undefined && details.data.isMultiRegion !== null)
      trail.multiRegion = details.data.isMultiRegion;
    switch (event.name) {
      case "StopLogging":
        if (!trail.stopped) trail.stopped = { from: event.time, eventIds: ids, reason: "logging-stopped" };
        break;
      case "StartLogging":
      case "CreateTrail":
        closeStopped();
        break;
      case "DeleteTrail":
        closeStopped();
        closeExcluded();
        trail.stopped = { from: event.time, eventIds: ids, reason: "trail-deleted" };
        break;
      case "PutEventSelectors":
        if (details.data.kmsManagementLogged === false && !trail.excluded)
          trail.excluded = { from: event.time, eventIds: ids };
        else if (details.data.kmsManagementLogged === true) closeExcluded();
        break;
    }
  }
  for (const trail of trails.values()) {
    if (trail.stopped) windows.push({ trail, ...trail.stopped, to: null, detail: "" });
    if (trail.excluded)
      windows.push({ trail, ...trail.excluded, to: null, reason: "kms-excluded", detail: "" });
  }
  return windows;
}

function trailFor(
  trails: Map<string, TrailState>,
  event: ManagementEvent,
  details: z.infer<typeof trailDetailsSchema>,
): TrailState {
  const arn = [details.trailArn, details.trailName].map((value) => TRAIL_ARN.exec(value ?? "")).find(Boolean);
  const name = arn?.[3] ?? details.trailName ?? "";
  const account = arn?.[2] ?? event.account;
  const id = `${account}/${name}`;
  const existing = trails.get(id);
  if (existing) {
    if (arn?.[1]) existing.homeRegion = arn[1];
    return existing;
  }
  const trail: TrailState = {
    name,
    account,
    homeRegion: arn?.[1] ?? event.region,
    multiRegion: null,
    stopped: null,
    excluded: null,
  };
  trails.set(id, trail);
  return trail;
}

const REASON_TEXT = {
  "logging-stopped": "StopLogging until StartLogging",
  "trail-deleted": "DeleteTrail until CreateTrail or StartLogging",
  "kms-excluded": "PutEventSelectors excluded KMS management events until selectors logged them again",
} as const;

/** One gap per Region the trail covers: its home Region, or every Region of the account seen when multi-Region
 * (or when the trail's scope is unknown, which is then an assumption and marked inferred). */
function windowGaps(model: CaseModel, window: TrailWindow): Gap[] {
  const { trail } = window;
  const seen = model.data.coverage.filter((c) => c.account === trail.account).map((c) => c.region);
  const regions =
    trail.multiRegion === false ? [trail.homeRegion] : [...new Set([trail.homeRegion, ...seen])];
  const scope =
    trail.multiRegion === null
      ? "scope unknown: assumed to cover every Region of the account seen"
      : trail.multiRegion
        ? "multi-Region trail"
        : "single-Region trail";
  return regions.map((region) => ({
    account: trail.account,
    region,
    from: window.from,
    to: window.to,
    reason: window.reason,
    detail: `trail ${trail.name || "(unnamed)"}: ${REASON_TEXT[window.reason]}; ${scope}; another trail may still have logged`,
    eventIds: window.eventIds,
    confidence: trail.multiRegion === null && region !== trail.homeRegion ? "inferred" : "recorded",
    keyArn: null,
    trail: trail.name || null,
  }));
}

/** Times at one place with no silence inside: each next time came within the silence of the one before. */
interface Run {
  from: number;
  to: number;
}

const placeKey = (account: string, region: string) => `${account}\u0000${region}`;

/**
 * The usage rows' times per account and Region as runs, in one pass: a case's rows are in time order (see
 * UsageStore.sorted), so no time is sorted, and a run closes where the next time at its place comes more
 * than `silenceMs` later. Places are found by interned ids: no string is built per row.
 */
function usageRunsByPlace(usage: UsageStore, silenceMs: number, places: Places): Map<string, Run[]> {
  const accounts = usage.ids("account");
  const regions = usage.ids("region");
  const times = usage.times();
  const wanted = places?.map((place) => ({
    account: usage.idOf(place.account),
    region: usage.idOf(place.region),
  }));
  const byIds = new Map<number, Map<number, Run[]>>();
  // Neighbouring rows often share a place: the lookup is skipped while it stays the same.
  let lastAccount = Number.NaN;
  let lastRegion = Number.NaN;
  let runs: Run[] | null = [];
  for (let row = 0; row < times.length; row++) {
    const account = accounts[row] ?? -1;
    const region = regions[row] ?? -1;
    if (account !== lastAccount || region !== lastRegion) {
      runs = atPlace(wanted ?? null, account, region) ? childList(childMap(byIds, account), region) : null;
      lastAccount = account;
      lastRegion = region;
    }
    if (runs === null) continue;
    const time = times[row] ?? 0;
    const last = runs[runs.length - 1];
    if (last && time - last.to <= silenceMs) last.to = time;
    else runs.push({ from: time, to: time });
  }
  const byPlace = new Map<string, Run[]>();
  for (const [account, byRegion] of byIds) {
    for (const [region, placeRuns] of byRegion)
      byPlace.set(placeKey(usage.stringOf(account) ?? "", usage.stringOf(region) ?? ""), placeRuns);
  }
  return byPlace;
}

/**
 * Every kept record's time per place, as runs: the usage runs, each management event alone, and the coverage
 * bounds, which also count the records dropped as irrelevant.
 */
function recordRuns(model: CaseModel, silenceMs: number, places: Places): Map<string, Run[]> {
  const runs = usageRunsByPlace(model.data.usage, silenceMs, places);
  const point = (account: string, region: string, time: number) => {
    if (atPlace(places, account, region))
      childList(runs, placeKey(account, region)).push({ from: time, to: time });
  };
  for (const span of model.data.coverage) {
    point(span.account, span.region, span.from);
    point(span.account, span.region, span.to);
  }
  for (const event of model.data.events) point(event.account, event.region, event.time);
  return runs;
}

/**
 * The stretches longer than `silenceMs` between one place's records. Walking its runs by start with the
 * latest time reached so far finds exactly the gaps between consecutive times that sorting every time would:
 * every time lies inside some run, and no run holds a gap that long.
 */
function silentStretches(runs: Run[], silenceMs: number): Run[] {
  runs.sort((a, b) => a.from - b.from);
  const stretches: Run[] = [];
  let reached = runs[0]?.to ?? 0;
  for (const run of runs) {
    if (run.from - reached > silenceMs) stretches.push({ from: reached, to: run.from });
    reached = Math.max(reached, run.to);
  }
  return stretches;
}

function silences(model: CaseModel, silenceMs: number, trailGaps: readonly Gap[], places: Places): Gap[] {
  const gaps: Gap[] = [];
  for (const [id, runs] of recordRuns(model, silenceMs, places)) {
    const [account = "", region = ""] = id.split("\u0000");
    if (!model.data.coverage.some((c) => c.account === account && c.region === region)) continue;
    for (const { from, to } of silentStretches(runs, silenceMs)) {
      const explained = trailGaps.some(
        (gap) =>
          gap.account === account && gap.region === region && gap.from <= from && (gap.to ?? Infinity) >= to,
      );
      if (explained) continue;
      gaps.push({
        account,
        region,
        from,
        to,
        reason: "silence",
        detail: `no KMS, CloudTrail-control or STS record for ${formatDuration(to - from)}`,
        eventIds: [],
        confidence: "inferred",
        keyArn: null,
        trail: null,
      });
    }
  }
  return gaps;
}

function unknownKeyStates(model: CaseModel): Gap[] {
  return model.data.keys.flatMap((key) => {
    const first = key.states[0];
    if (first?.confidence !== "unknown") return [];
    return [
      {
        account: key.account,
        region: key.region,
        from: first.from,
        to: first.to,
        reason: "unknown-key-state" as const,
        detail: `state of ${key.arn} unknown: not created in the trail, no event set its state yet`,
        eventIds: first.closedBy,
        confidence: "unknown" as const,
        keyArn: key.arn,
        trail: null,
      },
    ];
  });
}

/** `gaps --format json` (DESIGN §8): `{"gaps":[{"account","region","from","to","reason"}]}` plus extra fields. */
export interface GapsReport {
  silenceMs: number;
  coverage: CoverageRow[];
  /** Each gap as computed, with its times as ISO text */
  gaps: (Omit<Gap, "from" | "to"> & { from: string; to: string | null })[];
}

/** `gaps` lists every gap of the case; a caller may pass the ones it narrowed down (computed with `options`). */
export function gapsReport(
  model: CaseModel,
  options: GapOptions = {},
  gaps: readonly Gap[] = computeGaps(model, options),
): GapsReport {
  return {
    silenceMs: options.silenceMs ?? DEFAULT_SILENCE_MS,
    coverage: coverageRows(model.data.coverage),
    gaps: gaps.map((gap) => ({
      ...gap,
      from: iso(gap.from),
      to: gap.to === null ? null : iso(gap.to),
    })),
  };
}
