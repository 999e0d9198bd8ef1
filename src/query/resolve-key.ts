import { NotFoundError, UsageError } from "../errors.js";
import type { CaseModel, KeyRecord } from "../model/index.js";
import { holdsAt } from "../model/index.js";
import { closestNames } from "./closest-names.js";

const ALIAS_ARN = /^arn:[^:]+:kms:([^:]+):(\d{12}):(alias\/.+)$/;

/**
 * Finds the key a user named (DESIGN §8): key ARN, key id (UUID or mrk-), `alias/name` or alias ARN. Aliases are
 * resolved as of `at` (or, without a time, to every key the alias ever named). Ambiguity and absence are errors
 * that list what the user may have meant.
 */
export function resolveKey(model: CaseModel, name: string, at: number | null, origin: string): KeyRecord {
  const candidates = candidateKeys(model, name.trim(), at);
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length > 1) {
    throw new UsageError(
      `${origin}: "${name}" names ${candidates.length} keys${at === null ? "" : ` at ${iso(at)}`}`,
      {
        hint: `name one by ARN: ${candidates.map((key) => key.arn).join(", ")}`,
        context: { candidates: candidates.map((key) => key.arn) },
      },
    );
  }
  // The name typed is never its own suggestion: an alias that exists, but not at `at`, says when it did.
  const suggestions = suggest(model, name).filter((candidate) => candidate !== name.trim());
  const lifetime = at === null ? null : aliasLifetime(model, name.trim());
  throw new NotFoundError(`${origin}: no key "${name}" in this case${at === null ? "" : ` at ${iso(at)}`}`, {
    hint: lifetime
      ? `${name.trim()} named ${lifetime}; ask at a time inside that, or name the key by ARN`
      : suggestions.length
        ? `did you mean ${suggestions.join(", ")}?`
        : "name a key by ARN, key id, alias/name or alias ARN; `keytrail usage` lists the keys used in this case",
    context: { suggestions },
  });
}

/** "arn…:key/1 from T1 to T2, arn…:key/2 from T2 on": what an alias named over the trail, or null if never. */
function aliasLifetime(model: CaseModel, name: string): string | null {
  const intervals = aliasIntervalsNamed(model, name);
  if (intervals === null || intervals.length === 0) return null;
  return intervals
    .map(
      (interval) =>
        `${interval.value} from ${iso(interval.from)}${interval.to === null ? " on" : ` to ${iso(interval.to)}`}`,
    )
    .join(", ");
}

/** The intervals of the alias `name` names (an alias ARN: in its account and Region only); null: not an alias. */
function aliasIntervalsNamed(model: CaseModel, name: string) {
  const aliasArn = ALIAS_ARN.exec(name);
  if (!aliasArn && !name.startsWith("alias/")) return null;
  return (model.aliasesByName.get(aliasArn?.[3] ?? name) ?? []).filter(
    (interval) =>
      !aliasArn || (interval.alias.region === aliasArn[1] && interval.alias.account === aliasArn[2]),
  );
}

function candidateKeys(model: CaseModel, name: string, at: number | null): KeyRecord[] {
  const byArn = model.keysByArn.get(name);
  if (byArn) return [byArn];
  const named = aliasIntervalsNamed(model, name);
  if (named !== null) {
    const intervals = named.filter((interval) => at === null || holdsAt(interval, at));
    const arns = [...new Set(intervals.map((interval) => interval.value))];
    return arns.flatMap((arn) => model.keysByArn.get(arn) ?? []);
  }
  return model.keysById.get(name) ?? [];
}

/**
 * The names closest to what the user typed (edit distance on the part that varies: key id or alias name),
 * so a typo in "alias/paymnts" or in one character of a key id gets the right hint.
 */
function suggest(model: CaseModel, name: string): string[] {
  return closestNames(name, [...model.keysByArn.keys(), ...model.aliasesByName.keys()], shortName);
}

/** "arn:…:key/ID" -> "id", "alias/name" or an alias ARN -> "name". */
function shortName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^arn:[^:]*:kms:[^:]*:\d*:/, "")
    .replace(/^(key|alias)\//, "");
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}
