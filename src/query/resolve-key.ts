import { NotFoundError, UsageError } from "../errors.js";
import type { CaseModel, KeyRecord } from "../model/index.js";
import { holdsAt } from "../model/index.js";

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
  const suggestions = suggest(model, name);
  throw new NotFoundError(`${origin}: no key "${name}" in this case${at === null ? "" : ` at ${iso(at)}`}`, {
    hint: suggestions.length
      ? `did you mean ${suggestions.join(", ")}?`
      : "list the keys with `keytrail replay` (its summary) or check the inputs",
    context: { suggestions },
  });
}

function candidateKeys(model: CaseModel, name: string, at: number | null): KeyRecord[] {
  const byArn = model.keysByArn.get(name);
  if (byArn) return [byArn];
  const aliasArn = ALIAS_ARN.exec(name);
  if (aliasArn || name.startsWith("alias/")) {
    const aliasName = aliasArn?.[3] ?? name;
    const intervals = (model.aliasesByName.get(aliasName) ?? []).filter(
      (interval) =>
        (!aliasArn || (interval.alias.region === aliasArn[1] && interval.alias.account === aliasArn[2])) &&
        (at === null || holdsAt(interval, at)),
    );
    const arns = [...new Set(intervals.map((interval) => interval.value))];
    return arns.flatMap((arn) => model.keysByArn.get(arn) ?? []);
  }
  return model.keysById.get(name) ?? [];
}

function suggest(model: CaseModel, name: string): string[] {
  const needle = name.toLowerCase().replace(/^alias\//, "");
  const names = [...model.keysByArn.keys(), ...model.aliasesByName.keys()];
  const close = names.filter((candidate) => {
    const hay = candidate.toLowerCase();
    return hay.includes(needle.slice(0, 8)) || needle.includes(hay.replace(/^alias\//, ""));
  });
  return close.slice(0, 5);
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}
