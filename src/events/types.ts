import type { SourcePosition } from "../issue.js";

/**
 * The one event type that flows downstream of normalization (DESIGN §3). `replay`, `model`, `query` and
 * `render` see only `KmsEvent | TrailEvent`, never raw JSON. Narrow with `Extract<KmsEvent, {name: "X"}>`.
 */

// ---------------------------------------------------------------------------------------------- principals

export type PrincipalKind =
  | "account" // an AWS account (bare id, or arn:...:iam::A:root)
  | "role" // an IAM role (assumed-role sessions normalize to their role)
  | "user" // an IAM user
  | "federated" // federated user, SAML/OIDC provider, Identity Center user
  | "service" // an AWS service principal (ec2.amazonaws.com) or "AWS Internal"
  | "any" // "*"
  | "principal-id" // an unresolved unique id (AROA…, AIDA…); replay resolves it when a record links it
  | "unknown"; // a record with no usable identity

/** A normalized principal. `id` is the role/user ARN (path removed), account id, service name or "*". */
export interface Principal {
  id: string;
  kind: PrincipalKind;
  /** The account the principal lives in, when known. */
  account: string | null;
}

/** Who made a call: the normalized principal plus the details the record gives. */
export interface Actor extends Principal {
  /** userIdentity.type as logged: IAMUser, AssumedRole, Root, AWSService, AWSAccount, FederatedUser, … */
  identityType: string | null;
  /** The ARN as logged (the session ARN for assumed roles). */
  arn: string | null;
  principalId: string | null;
  /** For assumed roles: the session name (the part after the role name). */
  sessionName: string | null;
  accessKeyId: string | null;
}

// ---------------------------------------------------------------------------------------------- references

export interface AliasRef {
  /** "alias/name" */
  name: string;
  account: string;
  region: string;
}

/**
 * A key as a record names it. `arn` is filled when the record gives it (resources[], an ARN parameter, a
 * response) or when it can be built from a key id and the record's account and region. When the caller used
 * an alias and nothing else names the key, `arn` is null and replay resolves the alias as of the event time.
 */
export interface KeyRef {
  arn: string | null;
  alias: AliasRef | null;
  /** The reference exactly as the caller wrote it (UUID, mrk- id, ARN, alias name or alias ARN). */
  raw: string | null;
}

export interface Tag {
  key: string;
  value: string;
}

export interface GrantConstraints {
  encryptionContextSubset: Record<string, string> | null;
  encryptionContextEquals: Record<string, string> | null;
}

export interface EventError {
  code: string;
  message: string | null;
}

// ---------------------------------------------------------------------------------------------- base

export interface EventBase {
  eventId: string;
  sharedEventId: string | null;
  requestId: string | null;
  /** ms since epoch, UTC */
  time: number;
  /** recipientAccountId: the account whose trail logged the record */
  account: string;
  region: string;
  actor: Actor;
  /** userIdentity.invokedBy: the AWS service that made the call on the actor's behalf */
  invokedBy: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  /** null for a successful call; failed calls change no state */
  error: EventError | null;
  /** eventType as logged: AwsApiCall, AwsServiceEvent, … */
  eventType: string | null;
  position: SourcePosition;
}

type KeyEvent<N extends string, Fields = object> = EventBase & {
  source: "kms";
  name: N;
  key: KeyRef;
} & Fields;

// ---------------------------------------------------------------------------------------------- KMS names

export const CRYPTO_OPERATIONS = [
  "Encrypt",
  "Decrypt",
  "ReEncrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "Sign",
  "Verify",
  "GenerateMac",
  "VerifyMac",
  "GetPublicKey",
  "DeriveSharedSecret",
] as const;
export type CryptoOperation = (typeof CRYPTO_OPERATIONS)[number];

/** The IAM actions of the cryptographic operations: ReEncrypt as its two sides, ReEncryptFrom and ReEncryptTo. */
export const CRYPTO_ACTIONS: ReadonlySet<string> = new Set(
  CRYPTO_OPERATIONS.flatMap((operation) =>
    operation === "ReEncrypt" ? ["ReEncryptFrom", "ReEncryptTo"] : [operation],
  ),
);

/** Calls that read key metadata and change nothing. */
export const KEY_READ_OPERATIONS = [
  "DescribeKey",
  "GetKeyPolicy",
  "GetKeyRotationStatus",
  "ListKeyRotations",
  "ListGrants",
  "ListKeyPolicies",
  "ListResourceTags",
  "GetKeyLastUsage",
] as const;
export type KeyReadOperation = (typeof KEY_READ_OPERATIONS)[number];

/** Calls that name no key (or only optionally) and change nothing. */
export const ACCOUNT_READ_OPERATIONS = [
  "ListKeys",
  "ListAliases",
  "ListRetirableGrants",
  "GenerateRandom",
] as const;
export type AccountReadOperation = (typeof ACCOUNT_READ_OPERATIONS)[number];

export const CUSTOM_KEY_STORE_OPERATIONS = [
  "CreateCustomKeyStore",
  "ConnectCustomKeyStore",
  "DisconnectCustomKeyStore",
  "UpdateCustomKeyStore",
  "DeleteCustomKeyStore",
  "DescribeCustomKeyStores",
] as const;
export type CustomKeyStoreOperation = (typeof CUSTOM_KEY_STORE_OPERATIONS)[number];

// ---------------------------------------------------------------------------------------------- KMS events

export type CreateKeyEvent = KeyEvent<
  "CreateKey",
  {
    /** The parsed policy document from requestParameters.policy (JSON string parsed once), or null. */
    policy: unknown;
    description: string | null;
    keySpec: string | null;
    keyUsage: string | null;
    /** AWS_KMS, EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE */
    origin: string | null;
    multiRegion: boolean;
    /** keyMetadata.keyState from the response, when logged */
    keyState: string | null;
    /**
     * The primary key's ARN when keyMetadata.multiRegionConfiguration names this key a REPLICA: the CreateKey
     * KMS logs in the replica Region besides the ReplicateKey
     */
    replicaOf: string | null;
    tags: Tag[];
    customKeyStoreId: string | null;
    bypassPolicyLockoutSafetyCheck: boolean;
  }
>;

export type ReplicateKeyEvent = KeyEvent<
  "ReplicateKey",
  {
    replicaRegion: string;
    /** The new replica key (same mrk- id, in replicaRegion). */
    replica: KeyRef;
    /** replicaPolicy from the response, else policy from the request, parsed; null when neither. */
    replicaPolicy: unknown;
    description: string | null;
    tags: Tag[];
    replicaKeyState: string | null;
    /** replicaKeyMetadata.origin (the primary's: AWS_KMS, EXTERNAL, …), when logged */
    origin: string | null;
  }
>;

export type UpdatePrimaryRegionEvent = KeyEvent<"UpdatePrimaryRegion", { primaryRegion: string }>;

export type ScheduleKeyDeletionEvent = KeyEvent<
  "ScheduleKeyDeletion",
  { deletionDate: number | null; pendingWindowInDays: number | null; keyState: string | null }
>;

export type PutKeyPolicyEvent = KeyEvent<
  "PutKeyPolicy",
  { policyName: string | null; policy: unknown; bypassPolicyLockoutSafetyCheck: boolean }
>;

export type CreateGrantEvent = KeyEvent<
  "CreateGrant",
  {
    grantId: string | null;
    /** A session ARN stays whole here (kind `role`, id the session ARN): the grant serves that session only. */
    grantee: Principal | null;
    retiringPrincipal: Principal | null;
    /** `[]` when the record does not log them; then `operationsKnown` is false. */
    operations: string[];
    /**
     * false when the record has no `operations` (old CreateGrant records, eventVersion 1.02, log only the
     * constraints): the grant's operations are unknown, not empty.
     */
    operationsKnown: boolean;
    constraints: GrantConstraints | null;
    grantName: string | null;
  }
>;

export type RetireGrantEvent = KeyEvent<"RetireGrant", { grantId: string | null; byToken: boolean }>;
export type RevokeGrantEvent = KeyEvent<"RevokeGrant", { grantId: string | null }>;

export type CreateAliasEvent = KeyEvent<"CreateAlias", { alias: AliasRef }>;
export type UpdateAliasEvent = KeyEvent<"UpdateAlias", { alias: AliasRef }>;
/** `key` is the key the alias pointed to when resources[] names it (arn null otherwise). */
export type DeleteAliasEvent = KeyEvent<"DeleteAlias", { alias: AliasRef }>;

export type EnableKeyRotationEvent = KeyEvent<"EnableKeyRotation", { rotationPeriodInDays: number | null }>;
export type RotateKeyEvent = KeyEvent<
  "RotateKey",
  { rotationType: string | null; keyMaterialId: string | null; previousKeyMaterialId: string | null }
>;

export type GetParametersForImportEvent = KeyEvent<
  "GetParametersForImport",
  { wrappingAlgorithm: string | null; wrappingKeySpec: string | null; parametersValidTo: number | null }
>;
export type ImportKeyMaterialEvent = KeyEvent<
  "ImportKeyMaterial",
  {
    /** ms since epoch; null when the material does not expire or the record omits it */
    validTo: number | null;
    /** KEY_MATERIAL_EXPIRES | KEY_MATERIAL_DOES_NOT_EXPIRE */
    expirationModel: string | null;
    keyMaterialId: string | null;
    importType: string | null;
  }
>;
export type DeleteImportedKeyMaterialEvent = KeyEvent<
  "DeleteImportedKeyMaterial",
  { keyMaterialId: string | null }
>;
export type DeleteExpiredKeyMaterialEvent = KeyEvent<
  "DeleteExpiredKeyMaterial",
  { keyMaterialId: string | null }
>;

export type TagResourceEvent = KeyEvent<"TagResource", { tags: Tag[] }>;
export type UntagResourceEvent = KeyEvent<"UntagResource", { tagKeys: string[] }>;
export type UpdateKeyDescriptionEvent = KeyEvent<"UpdateKeyDescription", { description: string | null }>;

/** Key lifecycle calls whose only field is the key. */
export type SimpleKeyEvent =
  | KeyEvent<"EnableKey">
  | KeyEvent<"DisableKey">
  | KeyEvent<"CancelKeyDeletion">
  | KeyEvent<"DeleteKey">
  | KeyEvent<"DisableKeyRotation">
  | KeyEvent<"RotateKeyOnDemand">
  | KeyEvent<"SynchronizeMultiRegionKey">;

export type KeyReadEvent = KeyEvent<KeyReadOperation>;

/** ListKeys, ListAliases, ListRetirableGrants, GenerateRandom: `key` is present only when the call named one. */
export type AccountReadEvent = EventBase & { source: "kms"; name: AccountReadOperation; key: KeyRef | null };

export type CustomKeyStoreEvent = EventBase & {
  source: "kms";
  name: CustomKeyStoreOperation;
  key: null;
  customKeyStoreId: string | null;
  customKeyStoreName: string | null;
  customKeyStoreType: string | null;
};

/** A cryptographic use of a key. ReEncrypt names a source (`key`) and a destination key. */
export type CryptoEvent = KeyEvent<
  CryptoOperation,
  {
    encryptionContext: Record<string, string> | null;
    /** ReEncrypt only */
    destinationKey: KeyRef | null;
    destinationEncryptionContext: Record<string, string> | null;
    /** Number of grant tokens the caller passed (tokens themselves are not logged). */
    grantTokens: number;
  }
>;

/** A KMS event name keytrail does not know: kept for timelines and usage, never dropped. */
export type OtherKmsEvent = EventBase & {
  source: "kms";
  name: "Other";
  eventName: string;
  key: KeyRef | null;
};

export type KmsEvent =
  | CreateKeyEvent
  | ReplicateKeyEvent
  | UpdatePrimaryRegionEvent
  | ScheduleKeyDeletionEvent
  | PutKeyPolicyEvent
  | CreateGrantEvent
  | RetireGrantEvent
  | RevokeGrantEvent
  | CreateAliasEvent
  | UpdateAliasEvent
  | DeleteAliasEvent
  | EnableKeyRotationEvent
  | RotateKeyEvent
  | GetParametersForImportEvent
  | ImportKeyMaterialEvent
  | DeleteImportedKeyMaterialEvent
  | DeleteExpiredKeyMaterialEvent
  | TagResourceEvent
  | UntagResourceEvent
  | UpdateKeyDescriptionEvent
  | SimpleKeyEvent
  | KeyReadEvent
  | AccountReadEvent
  | CustomKeyStoreEvent
  | CryptoEvent
  | OtherKmsEvent;

export type KmsEventName = Exclude<KmsEvent["name"], "Other">;

// ---------------------------------------------------------------------------------------------- non-KMS kept

export interface TrailRef {
  /** The trail name or ARN as the call gave it. */
  name: string;
  arn: string | null;
}

type TrailControl<N extends string, Fields = object> = EventBase & {
  source: "cloudtrail";
  name: N;
  trail: TrailRef;
} & Fields;

export type TrailConfigEvent =
  | TrailControl<
      "CreateTrail" | "UpdateTrail",
      { isMultiRegion: boolean | null; isOrganizationTrail: boolean | null }
    >
  | TrailControl<"DeleteTrail" | "StartLogging" | "StopLogging" | "PutInsightSelectors">
  | TrailControl<
      "PutEventSelectors",
      {
        /**
         * Whether the selectors, as put, log KMS management events: false when management events are off
         * or `kms.amazonaws.com` is excluded (basic ExcludeManagementEventSources or an advanced selector),
         * null when the selectors cannot be read.
         */
        kmsManagementLogged: boolean | null;
      }
    >;

export type AssumeRoleEvent = EventBase & {
  source: "sts";
  name: "AssumeRole" | "AssumeRoleWithSAML" | "AssumeRoleWithWebIdentity";
  roleArn: string | null;
  roleSessionName: string | null;
  /** responseElements.assumedRoleUser.arn (the session ARN) */
  assumedRoleArn: string | null;
  /** responseElements.assumedRoleUser.assumedRoleId (AROA…:session) */
  assumedRoleId: string | null;
  accessKeyId: string | null;
  sourceIdentity: string | null;
};

export type TrailEvent = TrailConfigEvent | AssumeRoleEvent;

export type NormalizedEvent = KmsEvent | TrailEvent;

/** What a normalizer adds to the base: one event's own fields, for each kind of event. */
export type EventFields = NormalizedEvent extends infer E
  ? E extends NormalizedEvent
    ? Omit<E, keyof EventBase>
    : never
  : never;
