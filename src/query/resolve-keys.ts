import { NotFoundError } from "../errors.js";
import { aliasRefOf } from "../events/index.js";
import type { CaseModel, KeyRecord } from "../model/index.js";
import { iso, resolveKey } from "./resolve-key.js";

const overlaps = (interval: { from: number; to: number | null }, from: number, to: number) =>
  interval.from < to && (interval.to === null || interval.to > from);

/**
 * The keys a question over a window is about. A key ARN or id names one key (as `resolveKey`); an alias names
 * every key it pointed to at some moment of [from, to), since a window has no single "as of" time.
 */
export function resolveKeys(
  model: CaseModel,
  name: string,
  from: number | undefined,
  to: number | undefined,
  origin: string,
): KeyRecord[] {
  const alias = aliasRefOf(name.trim(), { account: "", region: "" });
  if (!alias) return [resolveKey(model, name, null, origin)];
  const start = from ?? Number.NEGATIVE_INFINITY;
  const end = to ?? Number.POSITIVE_INFINITY;
  const arns = new Set(
    (model.aliasesByName.get(alias.name) ?? [])
      .filter(
        (interval) =>
          (alias.account === "" || interval.alias.account === alias.account) &&
          (alias.region === "" || interval.alias.region === alias.region) &&
          overlaps(interval, start, end),
      )
      .map((interval) => interval.value),
  );
  const keys = [...arns].flatMap((arn) => model.keysByArn.get(arn) ?? []);
  if (keys.length > 0) return keys;
  if (from === undefined && to === undefined) return [resolveKey(model, name, null, origin)];
  throw new NotFoundError(
    `${origin}: alias "${name}" named no key between ${from === undefined ? "the start" : iso(from)} and ${to === undefined ? "the end" : iso(to)}`,
    { hint: "widen --from/--to, or name the key by ARN" },
  );
}
