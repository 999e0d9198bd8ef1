import { z } from "zod";
import { inRegion } from "../key-ref.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { policyDocumentSchema } from "../policy-document.js";
import { optionalText } from "../record-schema.js";
import type { KeyRef } from "../types.js";
import { keyMetadataSchema } from "./keys.js";
import { tagsSchema } from "./tags.js";

const replicateKeyFields = z.looseObject({
  requestParameters: z
    .looseObject({
      keyId: optionalText,
      replicaRegion: optionalText,
      policy: policyDocumentSchema.nullish(),
      description: optionalText,
      tags: tagsSchema.nullish(),
    })
    .nullish(),
  responseElements: z
    .looseObject({
      replicaKeyMetadata: keyMetadataSchema.nullish(),
      replicaPolicy: policyDocumentSchema.nullish(),
    })
    .nullish(),
});

const updatePrimaryRegionFields = z.looseObject({
  requestParameters: z.looseObject({ keyId: optionalText, primaryRegion: optionalText }).nullish(),
});

/**
 * ReplicateKey is logged in the primary key's region: `key` is the primary (resources[]), `replica` the new
 * key with the same mrk- id in replicaRegion (from the response, else derived from the primary ARN).
 */
export const normalizeReplicateKey: Normalizer = (record, base) => {
  const parsed = parseFields(replicateKeyFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  const metadata = response?.replicaKeyMetadata;
  const key = recordKey(record, base, request?.keyId);
  const replicaRegion = request?.replicaRegion ?? "";
  const replicaArn = metadata?.arn ?? (key.arn && replicaRegion ? inRegion(key.arn, replicaRegion) : null);
  const replica: KeyRef = { arn: replicaArn, alias: null, raw: null };
  return emit({
    source: "kms",
    name: "ReplicateKey",
    key,
    replicaRegion,
    replica,
    replicaPolicy: response?.replicaPolicy ?? request?.policy ?? null,
    description: request?.description ?? metadata?.description ?? null,
    tags: request?.tags ?? [],
    replicaKeyState: metadata?.keyState ?? null,
    origin: metadata?.origin ?? null,
  });
};

export const normalizeUpdatePrimaryRegion: Normalizer = (record, base) => {
  const parsed = parseFields(updatePrimaryRegionFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  return emit({
    source: "kms",
    name: "UpdatePrimaryRegion",
    key: recordKey(record, base, request?.keyId),
    primaryRegion: request?.primaryRegion ?? "",
  });
};
