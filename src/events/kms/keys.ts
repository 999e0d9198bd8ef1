import { z } from "zod";
import { awsDateSchema } from "../aws-date-schema.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { policyDocumentSchema } from "../policy-document.js";
import { optionalText } from "../record-schema.js";
import { tagsSchema } from "./tags.js";

const optionalBoolean = z.boolean().nullish();

/** keyMetadata as CreateKey/ReplicateKey responses log it (AWSAccountId is spelled two ways; not read). */
export const keyMetadataSchema = z.looseObject({
  arn: optionalText,
  keyId: optionalText,
  keyState: optionalText,
  keySpec: optionalText,
  customerMasterKeySpec: optionalText,
  keyUsage: optionalText,
  origin: optionalText,
  multiRegion: optionalBoolean,
  description: optionalText,
  customKeyStoreId: optionalText,
  multiRegionConfiguration: z
    .looseObject({
      multiRegionKeyType: optionalText,
      primaryKey: z.looseObject({ arn: optionalText }).nullish(),
    })
    .nullish(),
});

/** The primary's ARN when keyMetadata names the key a multi-Region REPLICA (its replica Region's CreateKey). */
function replicaOf(metadata: z.infer<typeof keyMetadataSchema> | null | undefined): string | null {
  const configuration = metadata?.multiRegionConfiguration;
  if (configuration?.multiRegionKeyType !== "REPLICA") return null;
  return configuration.primaryKey?.arn ?? null;
}

const createKeyFields = z.looseObject({
  requestParameters: z
    .looseObject({
      policy: policyDocumentSchema.nullish(),
      description: optionalText,
      keySpec: optionalText,
      customerMasterKeySpec: optionalText,
      keyUsage: optionalText,
      origin: optionalText,
      multiRegion: optionalBoolean,
      tags: tagsSchema.nullish(),
      customKeyStoreId: optionalText,
      bypassPolicyLockoutSafetyCheck: optionalBoolean,
    })
    .nullish(),
  responseElements: z.looseObject({ keyMetadata: keyMetadataSchema.nullish() }).nullish(),
});

const scheduleKeyDeletionFields = z.looseObject({
  requestParameters: z
    .looseObject({ keyId: optionalText, pendingWindowInDays: z.number().nullish() })
    .nullish(),
  responseElements: z
    .looseObject({
      keyId: optionalText,
      keyState: optionalText,
      deletionDate: awsDateSchema.nullish(),
      pendingWindowInDays: z.number().nullish(),
    })
    .nullish(),
});

const updateKeyDescriptionFields = z.looseObject({
  requestParameters: z.looseObject({ keyId: optionalText, description: optionalText }).nullish(),
});

export const normalizeCreateKey: Normalizer = (record, base) => {
  const parsed = parseFields(createKeyFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  const metadata = parsed.value.responseElements?.keyMetadata;
  return emit({
    source: "kms",
    name: "CreateKey",
    key: recordKey(record, base, null, metadata?.arn),
    policy: request?.policy ?? null,
    description: request?.description ?? metadata?.description ?? null,
    keySpec: request?.keySpec ?? request?.customerMasterKeySpec ?? metadata?.keySpec ?? null,
    keyUsage: request?.keyUsage ?? metadata?.keyUsage ?? null,
    origin: request?.origin ?? metadata?.origin ?? null,
    multiRegion: request?.multiRegion ?? metadata?.multiRegion ?? false,
    keyState: metadata?.keyState ?? null,
    replicaOf: replicaOf(metadata),
    tags: request?.tags ?? [],
    customKeyStoreId: request?.customKeyStoreId ?? metadata?.customKeyStoreId ?? null,
    bypassPolicyLockoutSafetyCheck: request?.bypassPolicyLockoutSafetyCheck ?? false,
  });
};

export const normalizeScheduleKeyDeletion: Normalizer = (record, base) => {
  const parsed = parseFields(scheduleKeyDeletionFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  return emit({
    source: "kms",
    name: "ScheduleKeyDeletion",
    key: recordKey(record, base, request?.keyId, response?.keyId),
    deletionDate: response?.deletionDate ?? null,
    pendingWindowInDays: request?.pendingWindowInDays ?? response?.pendingWindowInDays ?? null,
    keyState: response?.keyState ?? null,
  });
};

export const normalizeUpdateKeyDescription: Normalizer = (record, base) => {
  const parsed = parseFields(updateKeyDescriptionFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  return emit({
    source: "kms",
    name: "UpdateKeyDescription",
    key: recordKey(record, base, request?.keyId),
    description: request?.description ?? null,
  });
};
