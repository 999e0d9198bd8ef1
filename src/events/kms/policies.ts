import { z } from "zod";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { policyDocumentSchema } from "../policy-document.js";
import { optionalText } from "../record-schema.js";

const putKeyPolicyFields = z.looseObject({
  requestParameters: z
    .looseObject({
      keyId: optionalText,
      policyName: optionalText,
      policy: policyDocumentSchema.nullish(),
      bypassPolicyLockoutSafetyCheck: z.boolean().nullish(),
    })
    .nullish(),
});

export const normalizePutKeyPolicy: Normalizer = (record, base) => {
  const parsed = parseFields(putKeyPolicyFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  return emit({
    source: "kms",
    name: "PutKeyPolicy",
    key: recordKey(record, base, request?.keyId),
    policyName: request?.policyName ?? null,
    policy: request?.policy ?? null,
    bypassPolicyLockoutSafetyCheck: request?.bypassPolicyLockoutSafetyCheck ?? false,
  });
};
