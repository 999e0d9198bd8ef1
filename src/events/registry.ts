import {
  normalizePutEventSelectors,
  trailConfigNormalizer,
  trailControlNormalizer,
} from "./cloudtrail/trail-control.js";
import { aliasNormalizer } from "./kms/aliases.js";
import { cryptoNormalizer, normalizeReEncrypt } from "./kms/crypto.js";
import { customKeyStoreNormalizer } from "./kms/custom-key-stores.js";
import { normalizeCreateGrant, normalizeRetireGrant, normalizeRevokeGrant } from "./kms/grants.js";
import {
  deleteMaterialNormalizer,
  normalizeGetParametersForImport,
  normalizeImportKeyMaterial,
} from "./kms/import.js";
import { keyOnlyNormalizer } from "./kms/key-only.js";
import {
  normalizeCreateKey,
  normalizeScheduleKeyDeletion,
  normalizeUpdateKeyDescription,
} from "./kms/keys.js";
import { normalizeReplicateKey, normalizeUpdatePrimaryRegion } from "./kms/multi-region.js";
import { normalizeOtherKmsEvent } from "./kms/other.js";
import { normalizePutKeyPolicy } from "./kms/policies.js";
import { accountReadNormalizer } from "./kms/reads.js";
import { normalizeEnableKeyRotation, normalizeRotateKey } from "./kms/rotation.js";
import { normalizeTagResource, normalizeUntagResource } from "./kms/tags.js";
import type { Normalizer } from "./normalizer.js";
import { assumeRoleNormalizer } from "./sts/assume-role.js";
import type { AssumeRoleEvent, KmsEventName, TrailConfigEvent } from "./types.js";

export const KMS_SOURCE = "kms.amazonaws.com";
export const CLOUDTRAIL_SOURCE = "cloudtrail.amazonaws.com";
export const STS_SOURCE = "sts.amazonaws.com";

/**
 * The one table from KMS eventName to normalizer. The compiler checks it covers every name of the KmsEvent
 * union; names not listed here go to the generic `Other` normalizer (kms/other.ts).
 */
export const kmsNormalizers = {
  // key lifecycle
  CreateKey: normalizeCreateKey,
  EnableKey: keyOnlyNormalizer("EnableKey"),
  DisableKey: keyOnlyNormalizer("DisableKey"),
  ScheduleKeyDeletion: normalizeScheduleKeyDeletion,
  CancelKeyDeletion: keyOnlyNormalizer("CancelKeyDeletion"),
  DeleteKey: keyOnlyNormalizer("DeleteKey"),
  UpdateKeyDescription: normalizeUpdateKeyDescription,
  // multi-Region
  ReplicateKey: normalizeReplicateKey,
  UpdatePrimaryRegion: normalizeUpdatePrimaryRegion,
  SynchronizeMultiRegionKey: keyOnlyNormalizer("SynchronizeMultiRegionKey"),
  // policies
  PutKeyPolicy: normalizePutKeyPolicy,
  // grants
  CreateGrant: normalizeCreateGrant,
  RetireGrant: normalizeRetireGrant,
  RevokeGrant: normalizeRevokeGrant,
  // aliases
  CreateAlias: aliasNormalizer("CreateAlias"),
  UpdateAlias: aliasNormalizer("UpdateAlias"),
  DeleteAlias: aliasNormalizer("DeleteAlias"),
  // rotation
  EnableKeyRotation: normalizeEnableKeyRotation,
  DisableKeyRotation: keyOnlyNormalizer("DisableKeyRotation"),
  RotateKey: normalizeRotateKey,
  RotateKeyOnDemand: keyOnlyNormalizer("RotateKeyOnDemand"),
  // imported key material
  GetParametersForImport: normalizeGetParametersForImport,
  ImportKeyMaterial: normalizeImportKeyMaterial,
  DeleteImportedKeyMaterial: deleteMaterialNormalizer("DeleteImportedKeyMaterial"),
  DeleteExpiredKeyMaterial: deleteMaterialNormalizer("DeleteExpiredKeyMaterial"),
  // tags
  TagResource: normalizeTagResource,
  UntagResource: normalizeUntagResource,
  // key reads
  DescribeKey: keyOnlyNormalizer("DescribeKey"),
  GetKeyPolicy: keyOnlyNormalizer("GetKeyPolicy"),
  GetKeyRotationStatus: keyOnlyNormalizer("GetKeyRotationStatus"),
  ListKeyRotations: keyOnlyNormalizer("ListKeyRotations"),
  ListGrants: keyOnlyNormalizer("ListGrants"),
  ListKeyPolicies: keyOnlyNormalizer("ListKeyPolicies"),
  ListResourceTags: keyOnlyNormalizer("ListResourceTags"),
  GetKeyLastUsage: keyOnlyNormalizer("GetKeyLastUsage"),
  // account reads
  ListKeys: accountReadNormalizer("ListKeys"),
  ListAliases: accountReadNormalizer("ListAliases"),
  ListRetirableGrants: accountReadNormalizer("ListRetirableGrants"),
  GenerateRandom: accountReadNormalizer("GenerateRandom"),
  // custom key stores
  CreateCustomKeyStore: customKeyStoreNormalizer("CreateCustomKeyStore"),
  ConnectCustomKeyStore: customKeyStoreNormalizer("ConnectCustomKeyStore"),
  DisconnectCustomKeyStore: customKeyStoreNormalizer("DisconnectCustomKeyStore"),
  UpdateCustomKeyStore: customKeyStoreNormalizer("UpdateCustomKeyStore"),
  DeleteCustomKeyStore: customKeyStoreNormalizer("DeleteCustomKeyStore"),
  DescribeCustomKeyStores: customKeyStoreNormalizer("DescribeCustomKeyStores"),
  // cryptographic operations
  Encrypt: cryptoNormalizer("Encrypt"),
  Decrypt: cryptoNormalizer("Decrypt"),
  ReEncrypt: normalizeReEncrypt,
  GenerateDataKey: cryptoNormalizer("GenerateDataKey"),
  GenerateDataKeyWithoutPlaintext: cryptoNormalizer("GenerateDataKeyWithoutPlaintext"),
  GenerateDataKeyPair: cryptoNormalizer("GenerateDataKeyPair"),
  GenerateDataKeyPairWithoutPlaintext: cryptoNormalizer("GenerateDataKeyPairWithoutPlaintext"),
  Sign: cryptoNormalizer("Sign"),
  Verify: cryptoNormalizer("Verify"),
  GenerateMac: cryptoNormalizer("GenerateMac"),
  VerifyMac: cryptoNormalizer("VerifyMac"),
  GetPublicKey: cryptoNormalizer("GetPublicKey"),
  DeriveSharedSecret: cryptoNormalizer("DeriveSharedSecret"),
} satisfies Record<KmsEventName, Normalizer>;

/** CloudTrail's own configuration calls, kept for coverage (DESIGN §4 gaps). */
export const trailNormalizers = {
  CreateTrail: trailConfigNormalizer("CreateTrail"),
  UpdateTrail: trailConfigNormalizer("UpdateTrail"),
  DeleteTrail: trailControlNormalizer("DeleteTrail"),
  StartLogging: trailControlNormalizer("StartLogging"),
  StopLogging: trailControlNormalizer("StopLogging"),
  PutInsightSelectors: trailControlNormalizer("PutInsightSelectors"),
  PutEventSelectors: normalizePutEventSelectors,
} satisfies Record<TrailConfigEvent["name"], Normalizer>;

/** STS AssumeRole*, kept to link sessions to roles. */
export const stsNormalizers = {
  AssumeRole: assumeRoleNormalizer("AssumeRole"),
  AssumeRoleWithSAML: assumeRoleNormalizer("AssumeRoleWithSAML"),
  AssumeRoleWithWebIdentity: assumeRoleNormalizer("AssumeRoleWithWebIdentity"),
} satisfies Record<AssumeRoleEvent["name"], Normalizer>;

/** A switch, not a map: it runs on every record, and comparing a few strings costs less than hashing one. */
function tableFor(eventSource: string): Readonly<Record<string, Normalizer>> | undefined {
  switch (eventSource) {
    case KMS_SOURCE:
      return kmsNormalizers;
    case CLOUDTRAIL_SOURCE:
      return trailNormalizers;
    case STS_SOURCE:
      return stsNormalizers;
    default:
      return undefined;
  }
}

/**
 * The normalizer for a record's source and name: the table's entry, the generic `Other` normalizer for an
 * unknown KMS name, and undefined for a record keytrail does not keep. Cheap: it runs on every record.
 */
export function normalizerFor(eventSource: string, eventName: string): Normalizer | undefined {
  const table = tableFor(eventSource);
  if (table === undefined) return undefined;
  const normalizer = Object.hasOwn(table, eventName) ? table[eventName] : undefined;
  return normalizer ?? (eventSource === KMS_SOURCE ? normalizeOtherKmsEvent : undefined);
}
