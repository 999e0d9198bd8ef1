import {
  type CaseModel,
  intervalAt,
  type KeyRecord,
  type KeyState,
  type PolicyVersion,
} from "../model/index.js";
import type { MultiRegionRoleAt } from "./key-authorization.js";
import { iso } from "./resolve-key.js";

/**
 * Caveats about a key at one instant that `key --at` and who-can both owe the reader: facts the trail leaves
 * open at that instant even though a value is shown.
 */
export function keyStateCaveats(
  key: KeyRecord,
  t: number,
  state: KeyState,
  policy: PolicyVersion | null | undefined,
): string[] {
  const caveats: string[] = [];
  const deletion = intervalAt(key.deletionDates, t);
  if (deletion && t >= deletion.value && state.startsWith("Pending")) {
    // KMS deletes the key at the date itself; its DeleteKey service event may come a little later.
    const deleted = key.states.find((interval) => interval.value === "Deleted" && interval.from > t);
    const later = deleted ? `; the trail's DeleteKey comes at ${iso(deleted.from)}` : "";
    caveats.push(
      `the deletion date ${iso(deletion.value)} has passed and the trail holds no DeleteKey for the key by ${iso(t)}: KMS may already have deleted it${later}`,
    );
  }
  if (key.createdAt !== null && t < key.createdAt && state !== "NotCreated")
    caveats.push(
      `the trail logs this key's CreateKey later, at ${iso(key.createdAt)}: the state shown is what records dated before it set (a trail merged from several sources, or samples reusing one key id)`,
    );
  if (policy?.confidence === "unknown")
    caveats.push(
      `policy version ${policy.version} was put in the same second as another PutKeyPolicy: which one KMS applied last is not logged`,
    );
  return caveats;
}

const GRANT_ENDS: ReadonlySet<string> = new Set(["RetireGrant", "RevokeGrant"]);

/**
 * A successful RetireGrant/RevokeGrant of the key by `t` whose record names no grant (retired by its grant
 * token, with neither the grantId nor additionalEventData): one of the grants shown in force that existed then
 * may have ended then.
 */
export function unnamedGrantEndCaveats(model: CaseModel, key: KeyRecord, t: number): string[] {
  const inForce = model.grantsAt(key.arn, t);
  return model.data.events
    .filter(
      (event) =>
        GRANT_ENDS.has(event.name) &&
        event.error === null &&
        event.time <= t &&
        event.keys.includes(key.arn) &&
        !event.details.grantId &&
        inForce.some((grant) => grant.from <= event.time),
    )
    .map(
      (event) =>
        `${event.name} at ${iso(event.time)} (${event.eventId}) names no grant: one of the grants shown in force may have ended then`,
    );
}

/** States in which a related key does not exist, so it shares nothing with the key at that instant. */
const ABSENT: ReadonlySet<KeyState> = new Set(["NotCreated", "Deleted"]);

/**
 * A multi-Region key shares its key material with its related keys (the primary and its replicas, one key id in
 * other Regions of the same account): whoever their own key policies and grants allow can use this key's
 * ciphertexts too, and none of that is in this key's answer. Also says when the trail does not show whether
 * the key was the primary at t (ReplicateKey is then counted as an escalation in case it was).
 */
export function multiRegionCaveats(
  model: CaseModel,
  key: KeyRecord,
  t: number,
  role: MultiRegionRoleAt,
): string[] {
  if (role === null) return [];
  const caveats: string[] = [];
  if (role === "unknown")
    caveats.push(
      `the key is multi-Region but the trail does not show whether it was the primary key at ${iso(t)}: ReplicateKey is listed as an escalation in case it was`,
    );
  const related = model.data.keys.filter(
    (other) =>
      other.arn !== key.arn &&
      other.keyId === key.keyId &&
      other.account === key.account &&
      !ABSENT.has(model.stateAt(other, t).state),
  );
  if (related.length > 0) {
    const named = related.map((other) => {
      const otherRole = intervalAt(other.multiRegionRoles, t)?.value.role ?? "role not known";
      return `${other.arn} (${otherRole.toLowerCase()})`;
    });
    caveats.push(
      `multi-Region key: its related keys share its key material, so whoever their own key policies and grants allow can use this key's ciphertexts too; they are separate keys, not evaluated here (ask who-can of each): ${named.join(", ")}`,
    );
  }
  return caveats;
}
