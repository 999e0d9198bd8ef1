import type { AliasInterval } from "../../model/index.js";
import { formatDuration } from "../format-duration.js";
import { RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";

/** UpdateAlias moving an alias to a key of another account, or to a key created shortly before. */
export function aliasRepointed(context: DetectorContext): Detection[] {
  const { model } = context;
  return [...model.aliasesByName.values()].flatMap((intervals) =>
    intervals.flatMap((interval) => {
      const event = context.eventsById.get(interval.openedBy[0] ?? "");
      if (event?.name !== "UpdateAlias") return [];
      const previous = previousInterval(intervals, interval);
      const target = model.keysByArn.get(interval.value);
      const targetAccount = target?.account ?? principalAccount(interval.value);
      const foreign = targetAccount !== null && targetAccount !== interval.alias.account;
      const age = target?.createdAt == null ? null : interval.from - target.createdAt;
      const recent = age !== null && age >= 0 && age <= context.thresholds.recentKeyMs;
      if (!foreign && !recent) return [];
      const creation = target?.createdAt == null ? [] : createKeyIds(context, interval.value);
      const creator = target?.createdBy ?? null;
      const sameActor = recent && creator === event.actor.id;
      const why = [
        foreign ? `a key of account ${targetAccount}` : null,
        recent
          ? `created ${formatDuration(age ?? 0)} earlier${sameActor ? " by the same principal" : ` by ${creator ?? "?"}`}`
          : null,
      ].filter(Boolean);
      return [
        {
          severity: foreign ? ("critical" as const) : ("high" as const),
          time: interval.from,
          account: interval.alias.account,
          region: interval.alias.region,
          explanation: `${interval.alias.name} moved from ${previous ? `key ${previous.value}${previous.confidence === "inferred" ? " (seen in use)" : ""}` : "an unknown key"} to key ${interval.value} (${why.join(", ")}) by ${event.actor.id}`,
          eventIds: [event.eventId, ...event.alsoEventIds, ...creation],
          keys: [...(previous ? [previous.value] : []), interval.value],
          principals: [...new Set([event.actor.id, ...(creator ? [creator] : [])])],
          usageWindow: { from: interval.from, to: interval.to },
          // The UpdateAlias record names the new target, and its CreateKey record its account and age. The key
          // the alias left (unknown, or inferred from calls) is context the explanation qualifies, not the claim.
          ...RECORDED,
        },
      ];
    }),
  );
}

/** The alias's latest earlier interval in the same account and Region (an inferred one may end before). */
function previousInterval(intervals: readonly AliasInterval[], current: AliasInterval): AliasInterval | null {
  const earlier = intervals.filter(
    (other) =>
      other !== current &&
      other.alias.account === current.alias.account &&
      other.alias.region === current.alias.region &&
      other.from < current.from,
  );
  return earlier.sort((a, b) => b.from - a.from)[0] ?? null;
}

function createKeyIds(context: DetectorContext, keyArn: string): string[] {
  return (context.model.eventsByKey.get(keyArn) ?? [])
    .filter((event) => event.name === "CreateKey" && event.error === null)
    .map((event) => event.eventId);
}
