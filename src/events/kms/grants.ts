import { z } from "zod";
import { encryptionContextSchema } from "../encryption-context.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { normalizeGrantee } from "../principal.js";
import { optionalText } from "../record-schema.js";
import type { GrantConstraints, Principal } from "../types.js";

const constraintsSchema = z
  .looseObject({
    encryptionContextSubset: encryptionContextSchema.nullish(),
    encryptionContextEquals: encryptionContextSchema.nullish(),
  })
  .transform(
    (constraints): GrantConstraints => ({
      encryptionContextSubset: constraints.encryptionContextSubset ?? null,
      encryptionContextEquals: constraints.encryptionContextEquals ?? null,
    }),
  );

// Old records (eventVersion 1.02) omit operations and log only the constraints object.
const createGrantFields = z.looseObject({
  requestParameters: z
    .looseObject({
      keyId: optionalText,
      granteePrincipal: optionalText,
      retiringPrincipal: optionalText,
      operations: z.array(z.string()).nullish(),
      constraints: constraintsSchema.nullish(),
      name: optionalText,
    })
    .nullish(),
  responseElements: z.looseObject({ grantId: optionalText, keyId: optionalText }).nullish(),
});

const grantIdSchema = z.looseObject({ keyId: optionalText, grantId: optionalText });

// RetireGrant by grant token logs no requestParameters; KMS puts the grantId in additionalEventData.
const grantCloseFields = z.looseObject({
  requestParameters: grantIdSchema.nullish(),
  additionalEventData: grantIdSchema.nullish(),
});

/** Grantees keep an assumed-role session whole: such a grant serves that session only (normalizeGrantee). */
function principalOrNull(value: string | null | undefined): Principal | null {
  return value?.trim() ? normalizeGrantee(value) : null;
}

export const normalizeCreateGrant: Normalizer = (record, base) => {
  const parsed = parseFields(createGrantFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  return emit({
    source: "kms",
    name: "CreateGrant",
    key: recordKey(record, base, request?.keyId, response?.keyId),
    grantId: response?.grantId ?? null,
    grantee: principalOrNull(request?.granteePrincipal),
    retiringPrincipal: principalOrNull(request?.retiringPrincipal),
    // An old record without `operations` does not say the grant allows nothing: its operations are unknown.
    operations: request?.operations ?? [],
    operationsKnown: Array.isArray(request?.operations),
    constraints: request?.constraints ?? null,
    grantName: request?.name ?? null,
  });
};

export const normalizeRetireGrant: Normalizer = (record, base) => {
  const parsed = parseFields(grantCloseFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, additionalEventData: additional } = parsed.value;
  return emit({
    source: "kms",
    name: "RetireGrant",
    key: recordKey(record, base, request?.keyId ?? additional?.keyId),
    grantId: request?.grantId ?? additional?.grantId ?? null,
    byToken: !request?.grantId,
  });
};

export const normalizeRevokeGrant: Normalizer = (record, base) => {
  const parsed = parseFields(grantCloseFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, additionalEventData: additional } = parsed.value;
  return emit({
    source: "kms",
    name: "RevokeGrant",
    key: recordKey(record, base, request?.keyId),
    grantId: request?.grantId ?? additional?.grantId ?? null,
  });
};
