import { formatDuration } from "../format-duration.js";
import { computeGaps, type Gap } from "../gaps.js";
import { iso } from "../resolve-key.js";
import { groupBy } from "./bursts.js";
import { BLINDING, type FindingConfidence, inferred, RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";
import { byColumn, usageRowsWhere } from "./usage-rows.js";

const WHAT = {
  "logging-stopped": "logging stopped",
  "trail-deleted": "trail deleted",
  "kms-excluded": "KMS management events excluded",
} as const;

/** A trail stopped, deleted, or told to skip KMS events: one detection per control call, all Regions together. */
export function loggingBlindSpot(context: DetectorContext): Detection[] {
  const blinding = computeGaps(context.model).filter((gap) => BLINDING.has(gap.reason));
  const windows = groupBy(blinding, (gap) => gap.eventIds[0] ?? null);
  return [...windows.values()].flatMap((gaps) => {
    const gap = gaps[0] as Gap;
    const opener = context.eventsById.get(gap.eventIds[0] ?? "");
    const reason = gap.reason as keyof typeof WHAT;
    const regions = gaps.map((g) => g.region);
    const seenElsewhere = keysUsedInside(context, gap, new Set(regions));
    const span =
      gap.to === null
        ? `from ${iso(gap.from)} to the end of the records`
        : `${iso(gap.from)} .. ${iso(gap.to)} (${formatDuration(gap.to - gap.from)})`;
    const elsewhere = seenElsewhere.calls
      ? `; ${seenElsewhere.calls} calls on this account's keys inside it are known only from other trails`
      : "";
    return [
      {
        severity: "high",
        time: gap.from,
        account: gap.account,
        region: gap.region,
        explanation: `${WHAT[reason]} on trail ${gap.trail ?? "(unnamed)"} of ${gap.account} in ${regions.join(", ")}${opener ? ` by ${opener.actor.id}` : ""}: ${span}${elsewhere}`,
        eventIds: gap.eventIds,
        keys: seenElsewhere.keys,
        principals: opener ? [opener.actor.id] : [],
        usageWindow: { from: gap.from, to: gap.to },
        ...scopeConfidence(gaps),
      },
    ];
  });
}

/**
 * Calls on the account's keys in the blinded Regions inside the window that some record still shows: another
 * trail's, or the other account's copy of a cross-account call.
 */
function keysUsedInside(
  context: DetectorContext,
  gap: Gap,
  regions: ReadonlySet<string>,
): { calls: number; keys: string[] } {
  const ownKey = byColumn(
    context.model,
    "key",
    (key) => key !== null && principalAccount(key) === gap.account && regions.has(key.split(":")[3] ?? ""),
  );
  const rows = usageRowsWhere(context.model, ownKey, gap.from, gap.to);
  return { calls: rows.length, keys: [...new Set(rows.map((row) => row.key ?? ""))] };
}

/**
 * The control call is logged, and so is the home Region's window; a trail whose scope no record tells is assumed
 * to blind every Region of the account seen (the gaps of the other Regions are inferred, docs/findings.md#gaps).
 */
function scopeConfidence(gaps: readonly Gap[]): FindingConfidence {
  const assumed = gaps.filter((gap) => gap.confidence !== "recorded").map((gap) => gap.region);
  if (assumed.length === 0) return RECORDED;
  return inferred(
    `no record tells whether the trail covers ${assumed.join(", ")}: assumed, as it may be multi-Region`,
  );
}
