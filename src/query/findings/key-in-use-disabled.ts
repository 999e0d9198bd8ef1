import { formatDuration } from "../format-duration.js";
import { keysFromAliasGround, RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { cryptoUse } from "./usage-rows.js";

const DISRUPTIVE = new Set(["ScheduleKeyDeletion", "DisableKey"]);

/**
 * ScheduleKeyDeletion or DisableKey of a key whose material was used shortly before: whoever used it is cut
 * off. Use is what external-use-burst counts, successful cryptographic calls; reads of the key's metadata (the
 * actor's own DescribeKey before disabling it) and refused calls are not.
 */
export function keyInUseDisabled(context: DetectorContext): Detection[] {
  const { model, thresholds } = context;
  return model.data.events.flatMap((event) => {
    if (!DISRUPTIVE.has(event.name) || event.error !== null) return [];
    return event.keys.flatMap((keyArn) => {
      const used = cryptoUse(model, keyArn, event.time - thresholds.inUseMs, event.time);
      if (used.calls === 0) return [];
      const key = model.keysByArn.get(keyArn);
      return [
        {
          severity: event.name === "ScheduleKeyDeletion" ? ("high" as const) : ("medium" as const),
          time: event.time,
          account: key?.account ?? event.account,
          region: key?.region ?? event.region,
          explanation: `${event.name} of ${keyArn} by ${event.actor.id} while it served ${used.calls} successful cryptographic calls from ${used.principals.length} principal(s) in the previous ${formatDuration(thresholds.inUseMs)}`,
          eventIds: [event.eventId, ...event.alsoEventIds],
          keys: [keyArn],
          principals: [event.actor.id, ...used.principals],
          usageWindow: { from: event.time, to: null },
          // The call and the use before it are logged (a gap in the look-back could only hide more use), unless
          // every one of those calls named an alias and no key.
          ...(used.keyFromAlias === used.calls
            ? (keysFromAliasGround(used.keyFromAlias) ?? RECORDED)
            : RECORDED),
        },
      ];
    });
  });
}
