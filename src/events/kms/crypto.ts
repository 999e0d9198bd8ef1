import { z } from "zod";
import { encryptionContextSchema } from "../encryption-context.js";
import { absent, isObjectValue, isOptionalTextObject } from "../envelope-fast-path.js";
import { keyIdOf, resolveKeyRef, resourceKeyArns } from "../key-ref.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { type CloudTrailRecord, optionalText } from "../record-schema.js";
import type { CryptoOperation } from "../types.js";

const cryptoFields = z.looseObject({
  requestParameters: z
    .looseObject({
      keyId: optionalText,
      encryptionContext: encryptionContextSchema.nullish(),
      grantTokens: z.array(z.unknown()).nullish(),
    })
    .nullish(),
});

const reEncryptFields = z.looseObject({
  requestParameters: z
    .looseObject({
      sourceKeyId: optionalText,
      destinationKeyId: optionalText,
      sourceEncryptionContext: encryptionContextSchema.nullish(),
      destinationEncryptionContext: encryptionContextSchema.nullish(),
      grantTokens: z.array(z.unknown()).nullish(),
    })
    .nullish(),
});

/** Absent, or an object whose values are all strings: an encryption context the schema keeps unchanged. */
function isPlainContext(context: unknown): boolean {
  return (
    absent(context) ||
    (isObjectValue(context) && Object.values(context).every((value) => typeof value === "string"))
  );
}

/**
 * Most KMS records are crypto calls: their request parameters are checked by hand, and given to the schema
 * only when they are not plainly what it accepts unchanged (a context value that is not a string is
 * stringified by the schema, so such a context goes to it too). `keys` are the text fields naming keys,
 * `contexts` the encryption-context fields.
 */
function plainCryptoRequest(
  keys: readonly string[],
  contexts: readonly string[],
): (record: CloudTrailRecord) => boolean {
  return (record) => {
    const request = record.requestParameters;
    if (absent(request)) return true;
    if (!isObjectValue(request) || !isOptionalTextObject(request, keys)) return false;
    return (
      (absent(request.grantTokens) || Array.isArray(request.grantTokens)) &&
      contexts.every((field) => isPlainContext(request[field]))
    );
  };
}

const isPlainCrypto = plainCryptoRequest(["keyId"], ["encryptionContext"]);
const isPlainReEncrypt = plainCryptoRequest(
  ["sourceKeyId", "destinationKeyId"],
  ["sourceEncryptionContext", "destinationEncryptionContext"],
);

/** Encrypt, Decrypt, GenerateDataKey*, Sign, Verify, GenerateMac, VerifyMac, GetPublicKey, DeriveSharedSecret. */
export function cryptoNormalizer(name: Exclude<CryptoOperation, "ReEncrypt">): Normalizer {
  return (record, base) => {
    const parsed = parseFields(cryptoFields, record, base, isPlainCrypto);
    if (!parsed.ok) return parsed;
    const request = parsed.value.requestParameters;
    return emit({
      source: "kms",
      name,
      key: recordKey(record, base, request?.keyId),
      encryptionContext: request?.encryptionContext ?? null,
      destinationKey: null,
      destinationEncryptionContext: null,
      grantTokens: request?.grantTokens?.length ?? 0,
    });
  };
}

/**
 * ReEncrypt names two keys and resources[] lists both. The destination is the resource with the
 * destinationKeyId's key id (else that reference alone); the source is resolved among the other resources,
 * because old records omit sourceKeyId (Decrypt-style: the ciphertext names the key). When resources[] names
 * no other key (once or twice the destination), source and destination are the same key.
 */
export const normalizeReEncrypt: Normalizer = (record, base) => {
  const parsed = parseFields(reEncryptFields, record, base, isPlainReEncrypt);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  const resources = resourceKeyArns(record.resources);
  const destinationId = request?.destinationKeyId ? keyIdOf(request.destinationKeyId) : null;
  const destinationMatches = resources.filter(
    (arn) => destinationId !== null && keyIdOf(arn) === destinationId,
  );
  const destinationKey = request?.destinationKeyId
    ? resolveKeyRef(request.destinationKeyId, base, destinationMatches)
    : null;
  const otherKeys = resources.filter((arn) => arn !== destinationKey?.arn);
  // resources[] names keys but none besides the destination: the data was re-encrypted under the same key
  // (common after rotation), so the destination is the source too and its ReEncryptFrom side must not be lost.
  // With no resources at all the source stays unknown rather than guessed.
  const sameKey = resources.length > 0 && otherKeys.length === 0 && destinationKey?.arn;
  const sourceCandidates = sameKey ? [sameKey] : otherKeys;
  return emit({
    source: "kms",
    name: "ReEncrypt",
    key: request?.sourceKeyId
      ? recordKey(record, base, request.sourceKeyId)
      : resolveKeyRef(null, base, sourceCandidates),
    encryptionContext: request?.sourceEncryptionContext ?? null,
    destinationKey,
    destinationEncryptionContext: request?.destinationEncryptionContext ?? null,
    grantTokens: request?.grantTokens?.length ?? 0,
  });
};
