import { burstDetection } from "./burst-detection.js";
import { bursts, groupBy } from "./bursts.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";
import { isCryptoOperation, usageRows } from "./usage-rows.js";

/** Bursts of successful cryptographic calls on a key by a principal of another account. */
export function externalUseBurst(context: DetectorContext): Detection[] {
  const { model, thresholds } = context;
  const outside = [...usageRows(model)].filter((row) => {
    if (row.errorCode !== null || row.key === null || !isCryptoOperation(row.operation)) return false;
    const caller = principalAccount(row.principal);
    const owner = model.keysByArn.get(row.key)?.account ?? principalAccount(row.key);
    return caller !== null && owner !== null && caller !== owner;
  });
  const groups = groupBy(outside, (row) => `${row.principal}\u0000${row.key ?? ""}`);
  return [...groups.values()].flatMap((rows) =>
    bursts(rows, thresholds.burstCount, thresholds.burstWindowMs).map((burst) =>
      burstDetection(
        burst[0]?.principal ?? "",
        burst.map((row) => ({
          time: row.time,
          eventIds: [row.eventId, ...row.alsoEventIds],
          operation: row.operation,
          keys: [row.key ?? ""],
          account: principalAccount(row.key ?? "") ?? row.account,
          region: row.region,
        })),
        "high",
        `successful cryptographic calls from account ${principalAccount(burst[0]?.principal ?? "") ?? "?"}`,
      ),
    ),
  );
}
