import type { UsageRow } from "../../model/index.js";
import { formatDuration } from "../format-duration.js";
import { aliasKeysGround, burstDetection } from "./burst-detection.js";
import { bursts, groupBy } from "./bursts.js";
import { inferred, weakest } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";
import { byColumn, usageRowsWhere } from "./usage-rows.js";

/** Bursts of successful ReEncrypt by one principal into a key that is new or belongs to another account. */
export function reencryptBurst(context: DetectorContext): Detection[] {
  const { model, thresholds, window } = context;
  const reencrypt = byColumn(model, "operation", (operation) => operation === "ReEncrypt");
  const succeeded = byColumn(model, "errorCode", (code) => code === null);
  const toKey = byColumn(model, "destinationKey", (key) => key !== null);
  const reencrypts = usageRowsWhere(
    model,
    (row) => reencrypt(row) && succeeded(row) && toKey(row),
    window.from,
    window.to,
  );
  const groups = groupBy(reencrypts, (row) => `${row.principal}\u0000${row.destinationKey ?? ""}`);
  return [...groups.values()].flatMap((rows) =>
    bursts(rows, thresholds.burstCount, thresholds.burstWindowMs).flatMap((burst) => {
      const sample = burst[0] as UsageRow;
      const destination = sample.destinationKey ?? "";
      const destinationAccount = model.keysByArn.get(destination)?.account ?? principalAccount(destination);
      // Foreign to the source key's account: a call whose source key is unknown shows no second account.
      const foreign = burst.some((row) => {
        const sourceAccount = principalAccount(row.key ?? "");
        return sourceAccount !== null && destinationAccount !== null && sourceAccount !== destinationAccount;
      });
      const target = model.keysByArn.get(destination);
      const born = target?.createdAt ?? target?.firstSeen ?? null;
      const fresh = born !== null && born >= sample.time - thresholds.recentKeyMs;
      if (!foreign && !fresh) return [];
      const why = foreign ? `account ${destinationAccount}'s` : "new";
      const calls = burst.map((row) => ({
        time: row.time,
        eventIds: [row.eventId, ...row.alsoEventIds],
        operation: row.operation,
        keys: [row.key ?? "", destination].filter(Boolean),
        account: principalAccount(row.key ?? "") ?? row.account,
        region: row.region,
        keyFromAlias: row.keysFromAlias.length > 0,
      }));
      return [
        burstDetection(
          sample.principal,
          calls,
          foreign ? "high" : "medium",
          `re-encryptions into ${why} key ${destination}`,
          // A foreign key's ARN names its account, and a CreateKey record dates a key; without one, "new"
          // only means first seen lately: the key may be older than the trail. Both keys of a call may have
          // come from the alias history instead of its record.
          weakest(
            foreign || target?.createdAt != null
              ? null
              : inferred(
                  `${destination} was not created in the trail: "new" means first seen at most ${formatDuration(thresholds.recentKeyMs)} before the burst, and it may be older`,
                ),
            aliasKeysGround(calls, thresholds.burstCount, thresholds.burstWindowMs),
          ),
        ),
      ];
    }),
  );
}
