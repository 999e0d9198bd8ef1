import { z } from "zod";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import type { AccountReadOperation } from "../types.js";
import { keyIdSchema } from "./key-only.js";

const accountReadFields = z.looseObject({ requestParameters: keyIdSchema.nullish() });

/** ListKeys, ListAliases, ListRetirableGrants, GenerateRandom: `key` only when the call named one. */
export function accountReadNormalizer(name: AccountReadOperation): Normalizer {
  return (record, base) => {
    const parsed = parseFields(accountReadFields, record, base);
    if (!parsed.ok) return parsed;
    const keyId = parsed.value.requestParameters?.keyId;
    return emit({ source: "kms", name, key: keyId ? recordKey(record, base, keyId) : null });
  };
}
