import { RECORDED } from "./confidence.js";
import type { Detection, DetectorContext } from "./detector.js";
import { principalAccount } from "./principal-account.js";

/** CreateGrant (made or attempted) by a principal that is not an AWS service, on a key of another account. */
export function foreignCreateGrant(context: DetectorContext): Detection[] {
  return context.model.data.events.flatMap((event) => {
    if (event.name !== "CreateGrant" || event.invokedBy !== null || event.actor.kind === "service") return [];
    const actorAccount = event.actor.account;
    return event.keys.flatMap((keyArn) => {
      const keyAccount = context.model.keysByArn.get(keyArn)?.account ?? principalAccount(keyArn);
      if (actorAccount === null || keyAccount === null || keyAccount === actorAccount) return [];
      const outcome = event.error ? `attempted (failed: ${event.error.code})` : "succeeded";
      return [
        {
          severity: event.error ? ("medium" as const) : ("high" as const),
          time: event.time,
          account: keyAccount,
          region: event.region,
          explanation: `CreateGrant on ${keyArn} (account ${keyAccount}) by ${event.actor.id} of account ${actorAccount} ${outcome}: ${event.summary}`,
          eventIds: [event.eventId, ...event.alsoEventIds],
          keys: [keyArn],
          principals: [event.actor.id],
          usageWindow: { from: event.time, to: null },
          // The one CreateGrant record names the caller, its account and the key.
          ...RECORDED,
        },
      ];
    });
  });
}
