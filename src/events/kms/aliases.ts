import { z } from "zod";
import { aliasRefOf } from "../key-ref.js";
import { emit, type Normalizer, parseFields, recordKey, unknownShape } from "../normalizer.js";
import { optionalText } from "../record-schema.js";
import type { AliasRef } from "../types.js";

const aliasFields = z.looseObject({
  requestParameters: z.looseObject({ aliasName: optionalText, targetKeyId: optionalText }).nullish(),
});

type AliasEventName = "CreateAlias" | "UpdateAlias" | "DeleteAlias";

/**
 * CreateAlias, UpdateAlias and DeleteAlias. resources[] holds the alias ARN typed AWS::KMS::Key beside the
 * key; the alias ARN is skipped when resolving `key` (the target for Create/Update, the key the alias
 * pointed to for Delete). A failed call may lack the alias name: it is then "" rather than lost.
 */
export function aliasNormalizer(name: AliasEventName): Normalizer {
  return (record, base) => {
    const parsed = parseFields(aliasFields, record, base);
    if (!parsed.ok) return parsed;
    const request = parsed.value.requestParameters;
    const alias: AliasRef | null = request?.aliasName ? aliasRefOf(request.aliasName, base) : null;
    if (alias === null && base.error === null) {
      return unknownShape(base, name, "requestParameters.aliasName", "missing or not an alias name");
    }
    return emit({
      source: "kms",
      name,
      key: recordKey(record, base, request?.targetKeyId),
      alias: alias ?? { name: "", account: base.account, region: base.region },
    });
  };
}
