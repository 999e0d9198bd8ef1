import type { KeyRecord } from "../model/index.js";
import { iso } from "./resolve-key.js";

/** How a report over keys, a principal and a window echoes the question it answered. */
export interface WindowQuery {
  keys: string[] | null;
  principal: string | null;
  from: string | null;
  to: string | null;
}

export function windowQuery(
  keys: readonly Pick<KeyRecord, "arn">[] | null,
  options: { principal?: string | undefined; from?: number | undefined; to?: number | undefined },
): WindowQuery {
  return {
    keys: keys ? keys.map((key) => key.arn) : null,
    principal: options.principal ?? null,
    from: options.from === undefined ? null : iso(options.from),
    to: options.to === undefined ? null : iso(options.to),
  };
}
