import { KMS_ACTIONS } from "./kms-actions.js";
import { matchesWildcard } from "./wildcard.js";

/** Whether one Action entry (`*`, `kms:*`, `kms:Re*`, `kms:Decrypt`) covers a KMS action; case-insensitive. */
export function actionPatternCovers(pattern: string, action: string): boolean {
  const trimmed = pattern.trim();
  if (trimmed === "*") return true;
  const colon = trimmed.indexOf(":");
  if (colon < 0) return false;
  const service = trimmed.slice(0, colon);
  return matchesWildcard(service, "kms", true) && matchesWildcard(trimmed.slice(colon + 1), action, true);
}

/** The statement's action side: Action lists what it covers, NotAction lists what it does not. */
export interface ActionSpec {
  kind: "Action" | "NotAction";
  patterns: string[];
}

export function actionSpecCovers(spec: ActionSpec, action: string): boolean {
  const listed = spec.patterns.some((pattern) => actionPatternCovers(pattern, action));
  return spec.kind === "Action" ? listed : !listed;
}

/** The concrete KMS actions a statement's Action/NotAction covers, e.g. `kms:Re*` -> ReEncryptFrom, ReEncryptTo, … */
export function expandActions(spec: ActionSpec): string[] {
  return KMS_ACTIONS.filter((action) => actionSpecCovers(spec, action));
}
