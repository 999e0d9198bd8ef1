import { formatDuration } from "../format-duration.js";
import { iso } from "../resolve-key.js";
import { lowered, RECORDED, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";

/** Imported key material set to expire soon after its import, and DeleteImportedKeyMaterial. */
export function importedMaterial(context: DetectorContext): Detection[] {
  const { model, thresholds } = context;
  const shortLived = model.data.keys.flatMap((key) =>
    key.material.flatMap((interval) => {
      const { validTo } = interval.value;
      if (validTo === null || interval.openedBy.length === 0) return [];
      const life = validTo - interval.from;
      if (life >= thresholds.shortMaterialMs) return [];
      const actor = context.eventsById.get(interval.openedBy[0] ?? "")?.actor.id;
      return [
        {
          severity: "medium" as const,
          time: interval.from,
          account: key.account,
          region: key.region,
          explanation: `key material imported into ${key.arn} expires ${iso(validTo)}, ${formatDuration(life)} after import: the key stops working then`,
          eventIds: interval.openedBy,
          keys: [key.arn],
          principals: actor ? [actor] : [],
          usageWindow: { from: interval.from, to: null },
          ...weakest(lowered(interval.confidence, `the imported material is ${interval.confidence}`)),
        },
      ];
    }),
  );
  const deleted = model.data.events.flatMap((event) =>
    event.name === "DeleteImportedKeyMaterial" && event.error === null
      ? event.keys.map((keyArn) => ({
          severity: "high" as const,
          time: event.time,
          account: model.keysByArn.get(keyArn)?.account ?? event.account,
          region: model.keysByArn.get(keyArn)?.region ?? event.region,
          explanation: `DeleteImportedKeyMaterial on ${keyArn} by ${event.actor.id}: the key is unusable until material is imported again`,
          eventIds: [event.eventId, ...event.alsoEventIds],
          keys: [keyArn],
          principals: [event.actor.id],
          usageWindow: { from: event.time, to: null },
          ...RECORDED,
        }))
      : [],
  );
  return [...shortLived, ...deleted];
}
