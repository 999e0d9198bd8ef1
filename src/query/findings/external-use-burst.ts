import { aliasKeysGround, burstDetection } from "./burst-detection.js";
import { bursts, groupBy } from "./bursts.js";
import { RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";
import { byColumn, isCryptoOperation, usageRowsWhere } from "./usage-rows.js";

/** Bursts of successful cryptographic calls on a key by a principal of another account. */
export function externalUseBurst(context: DetectorContext): Detection[] {
  const { model, thresholds, window } = context;
  const succeeded = byColumn(model, "errorCode", (code) => code === null);
  const crypto = byColumn(model, "operation", (operation) => isCryptoOperation(operation ?? ""));
  const callerAccount = byColumn(model, "principal", (principal) => principalAccount(principal ?? ""));
  const ownerAccount = byColumn(model, "key", (key) =>
    key === null ? null : (model.keysByArn.get(key)?.account ?? principalAccount(key)),
  );
  const outside = usageRowsWhere(
    model,
    (row) => {
      if (!succeeded(row) || !crypto(row)) return false;
      const caller = callerAccount(row);
      const owner = ownerAccount(row);
      return caller !== null && owner !== null && caller !== owner;
    },
    window.from,
    window.to,
  );
  const groups = groupBy(outside, (row) => `${row.principal}\u0000${row.key ?? ""}`);
  return [...groups.values()].flatMap((rows) =>
    bursts(rows, thresholds.burstCount, thresholds.burstWindowMs).map((burst) => {
      const calls = burst.map((row) => ({
        time: row.time,
        eventIds: [row.eventId, ...row.alsoEventIds],
        operation: row.operation,
        keys: [row.key ?? ""],
        account: principalAccount(row.key ?? "") ?? row.account,
        region: row.region,
        keyFromAlias: row.keysFromAlias.includes("key"),
      }));
      return burstDetection(
        burst[0]?.principal ?? "",
        calls,
        "high",
        `successful cryptographic calls from account ${principalAccount(burst[0]?.principal ?? "") ?? "?"}`,
        // Each call names its caller and key, whose ARNs name both accounts; unless the burst needs calls
        // whose key came from the alias history instead.
        aliasKeysGround(calls, thresholds.burstCount, thresholds.burstWindowMs) ?? RECORDED,
      );
    }),
  );
}
