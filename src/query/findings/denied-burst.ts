import { isDenied } from "../access-denied.js";
import { type BurstCall, burstDetection } from "./burst-detection.js";
import { bursts, groupBy } from "./bursts.js";
import { RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { byColumn, usageRowsWhere } from "./usage-rows.js";

/** Bursts of calls denied to one principal (usage and management calls together): probing for access. */
export function deniedBurst(context: DetectorContext): Detection[] {
  const { model, thresholds, window } = context;
  const denied = byColumn(model, "errorCode", isDenied);
  const usage = usageRowsWhere(model, denied, window.from, window.to).map((row) => ({
    principal: row.principal,
    time: row.time,
    eventIds: [row.eventId, ...row.alsoEventIds],
    operation: row.operation,
    keys: row.key ? [row.key] : [],
    account: row.account,
    region: row.region,
    keyFromAlias: row.keysFromAlias.includes("key"),
  }));
  const management = model.data.events
    .filter(
      (event) => isDenied(event.error?.code ?? null) && event.time >= window.from && event.time < window.to,
    )
    .map((event) => ({
      principal: event.actor.id,
      time: event.time,
      eventIds: [event.eventId, ...event.alsoEventIds],
      operation: event.name,
      keys: event.keys,
      account: event.account,
      region: event.region,
      keyFromAlias: false,
    }));
  const all = [...usage, ...management].sort((a, b) => a.time - b.time);
  const groups = groupBy<BurstCall & { principal: string }>(all, (call) => call.principal);
  return [...groups.entries()].flatMap(([principal, calls]) =>
    bursts(calls, thresholds.burstCount, thresholds.burstWindowMs).map((burst) =>
      // A denial is logged whatever key it was on: the keys size the blast radius, they are not the ground.
      burstDetection(principal, burst, "medium", "denied calls", RECORDED),
    ),
  );
}
