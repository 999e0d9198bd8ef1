import { formatDuration } from "../format-duration.js";
import { keysFromAliasGround, RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { successesWithKeyFromAlias } from "./usage-rows.js";
import { usageSummary } from "./usage-summary.js";

const DISRUPTIVE = new Set(["ScheduleKeyDeletion", "DisableKey"]);

/** ScheduleKeyDeletion or DisableKey of a key that was used shortly before: whoever used it is cut off. */
export function keyInUseDisabled(context: DetectorContext): Detection[] {
  const { model, thresholds } = context;
  return model.data.events.flatMap((event) => {
    if (!DISRUPTIVE.has(event.name) || event.error !== null) return [];
    return event.keys.flatMap((keyArn) => {
      const from = event.time - thresholds.inUseMs;
      const before = usageSummary(model, [keyArn], { from, to: event.time });
      const succeeded = before.calls - before.failed;
      if (succeeded === 0) return [];
      const fromAlias = successesWithKeyFromAlias(model, keyArn, from, event.time);
      const key = model.keysByArn.get(keyArn);
      return [
        {
          severity: event.name === "ScheduleKeyDeletion" ? ("high" as const) : ("medium" as const),
          time: event.time,
          account: key?.account ?? event.account,
          region: key?.region ?? event.region,
          explanation: `${event.name} of ${keyArn} by ${event.actor.id} while it served ${succeeded} successful calls from ${before.principals.length} principal(s) in the previous ${formatDuration(thresholds.inUseMs)}`,
          eventIds: [event.eventId, ...event.alsoEventIds],
          keys: [keyArn],
          principals: [event.actor.id, ...before.principals],
          usageWindow: { from: event.time, to: null },
          // The call and the use before it are logged (a gap in the look-back could only hide more use), unless
          // every one of those calls named an alias and no key.
          ...(fromAlias === succeeded ? (keysFromAliasGround(fromAlias) ?? RECORDED) : RECORDED),
        },
      ];
    });
  });
}
