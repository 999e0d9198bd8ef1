import { z } from "zod";

/**
 * A whole-number option (`--threads 4`, `--records 1000`): text that is not one, or out of range, says what is
 * expected instead of zod's "expected number, received NaN". Shared by the CLI's options and `generate`'s.
 */
export function wholeNumberSchema(min: number, max?: number) {
  const error =
    max === undefined
      ? `expected a whole number of at least ${min}`
      : `expected a whole number from ${min} to ${max}`;
  const number = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? number : number.max(max, { error });
}
