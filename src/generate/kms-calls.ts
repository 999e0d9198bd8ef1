import { aliasArn, type GeneratedKey, keyResource } from "./generated-key.js";
import { type Caller, callerArn } from "./identities.js";
import type { CallSpec } from "./trail-record.js";
import { withCommand } from "./world.js";

/**
 * Builders for the KMS calls the generator writes. Each shape copies fixtures/scenarios and AWS's documented
 * examples (aws-kms-developer-guide ct-*.md): requestParameters as the API logs them, keyMetadata dates in
 * KMS's `Jun 1, 2024, 9:00:00 AM` form, alias ARNs in resources[] typed AWS::KMS::Key, RetireGrant's grantId
 * in additionalEventData, service events with only accountId + invokedBy.
 */

const KMS = "kms.amazonaws.com";

interface ManagementCall {
  key: GeneratedKey;
  caller: Caller;
  time: number;
}

function kmsCall(
  call: ManagementCall,
  name: string,
  command: string,
  request: unknown,
  extra: Partial<CallSpec> = {},
): CallSpec {
  const agent = "agent" in call.caller ? withCommand(call.caller.agent, `kms.${command}`) : undefined;
  return {
    time: call.time,
    source: KMS,
    name,
    region: call.key.region,
    caller: call.caller,
    recipient: call.key.account,
    request,
    resources: [keyResource(call.key)],
    readOnly: false,
    ...(agent && !(call.caller.type === "AssumedRole" && call.caller.invokedBy) ? { userAgent: agent } : {}),
    ...extra,
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** KMS's responseElements date form, e.g. `Jun 1, 2024, 9:05:00 AM` (no Intl: it is slow per record). */
export function kmsDate(time: number): string {
  const date = new Date(time);
  const hours = date.getUTCHours();
  const clock = `${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const month = MONTHS[date.getUTCMonth()] ?? "Jan";
  return `${month} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${clock} ${hours < 12 ? "AM" : "PM"}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

export function accessDenied(
  caller: Caller,
  action: string,
  key: GeneratedKey,
): { code: string; message: string } {
  return {
    code: "AccessDenied",
    message: `User: ${callerArn(caller) ?? "unknown"} is not authorized to perform: kms:${action} on resource: ${key.arn} because no identity-based policy allows the kms:${action} action`,
  };
}

export function createKey(call: ManagementCall, description: string, policy: string | null): CallSpec {
  const { key } = call;
  const request = {
    ...(policy ? { policy } : {}),
    description,
    keyUsage: "ENCRYPT_DECRYPT",
    keySpec: "SYMMETRIC_DEFAULT",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    origin: "AWS_KMS",
    bypassPolicyLockoutSafetyCheck: false,
    multiRegion: false,
    tags: [],
  };
  const keyMetadata = {
    aWSAccountId: key.account,
    keyId: key.id,
    arn: key.arn,
    creationDate: kmsDate(call.time),
    enabled: true,
    description,
    keyUsage: "ENCRYPT_DECRYPT",
    keyState: "Enabled",
    origin: "AWS_KMS",
    keyManager: "CUSTOMER",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    keySpec: "SYMMETRIC_DEFAULT",
    encryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    multiRegion: false,
  };
  return kmsCall(call, "CreateKey", "create-key", request, { response: { keyMetadata } });
}

/** CreateAlias, UpdateAlias (target `call.key`) and DeleteAlias (`call.key` is the key it pointed to). */
export function aliasCall(
  call: ManagementCall,
  name: "CreateAlias" | "UpdateAlias" | "DeleteAlias",
  alias: string,
): CallSpec {
  const command = { CreateAlias: "create-alias", UpdateAlias: "update-alias", DeleteAlias: "delete-alias" }[
    name
  ];
  const request =
    name === "DeleteAlias" ? { aliasName: alias } : { aliasName: alias, targetKeyId: call.key.id };
  return kmsCall(call, name, command, request, {
    resources: [
      { accountId: call.key.account, type: "AWS::KMS::Key", ARN: aliasArn(call.key, alias) },
      keyResource(call.key),
    ],
  });
}

type KeyOnlyName =
  | "EnableKey"
  | "DisableKey"
  | "CancelKeyDeletion"
  | "RotateKeyOnDemand"
  | "DisableKeyRotation";

const KEY_ONLY_COMMANDS: Record<KeyOnlyName, string> = {
  EnableKey: "enable-key",
  DisableKey: "disable-key",
  CancelKeyDeletion: "cancel-key-deletion",
  RotateKeyOnDemand: "rotate-key-on-demand",
  DisableKeyRotation: "disable-key-rotation",
};

export function keyOnlyCall(call: ManagementCall, name: KeyOnlyName, error?: CallSpec["error"]): CallSpec {
  const respondsWithKey = name === "CancelKeyDeletion" || name === "RotateKeyOnDemand";
  return kmsCall(
    call,
    name,
    KEY_ONLY_COMMANDS[name],
    { keyId: call.key.id },
    {
      ...(respondsWithKey ? { response: { keyId: call.key.arn } } : {}),
      error,
    },
  );
}

export function enableKeyRotation(call: ManagementCall): CallSpec {
  return kmsCall(call, "EnableKeyRotation", "enable-key-rotation", {
    keyId: call.key.arn,
    rotationPeriodInDays: 365,
  });
}

export function tagResource(call: ManagementCall, tagKey: string, tagValue: string): CallSpec {
  return kmsCall(call, "TagResource", "tag-resource", { keyId: call.key.arn, tags: [{ tagKey, tagValue }] });
}

export function putKeyPolicy(call: ManagementCall, policy: string): CallSpec {
  return kmsCall(call, "PutKeyPolicy", "put-key-policy", {
    keyId: call.key.id,
    policyName: "default",
    policy,
    bypassPolicyLockoutSafetyCheck: false,
  });
}

export function scheduleKeyDeletion(call: ManagementCall, days: number, error?: CallSpec["error"]): CallSpec {
  return kmsCall(
    call,
    "ScheduleKeyDeletion",
    "schedule-key-deletion",
    { keyId: call.key.id, pendingWindowInDays: days },
    {
      response: {
        keyId: call.key.arn,
        deletionDate: kmsDate(call.time + days * 86_400_000),
        keyState: "PendingDeletion",
        pendingWindowInDays: days,
      },
      error,
    },
  );
}

export interface GrantSpec {
  grantId: string;
  grantee: string;
  retiring: string | null;
  operations: string[];
  constraints: Record<string, Record<string, string>> | null;
  name: string | null;
}

export function createGrant(call: ManagementCall, grant: GrantSpec): CallSpec {
  const request = {
    keyId: call.key.arn,
    granteePrincipal: grant.grantee,
    ...(grant.retiring ? { retiringPrincipal: grant.retiring } : {}),
    operations: grant.operations,
    ...(grant.constraints ? { constraints: grant.constraints } : {}),
    ...(grant.name ? { name: grant.name } : {}),
  };
  return kmsCall(call, "CreateGrant", "create-grant", request, {
    response: { grantId: grant.grantId, keyId: call.key.arn },
  });
}

/** RetireGrant by the grantee logs no requestParameters: the grantId is in additionalEventData. */
export function retireGrant(call: ManagementCall, grantId: string): CallSpec {
  return kmsCall(call, "RetireGrant", "retire-grant", null, { additional: { grantId } });
}

export function revokeGrant(call: ManagementCall, grantId: string): CallSpec {
  return kmsCall(call, "RevokeGrant", "revoke-grant", { keyId: call.key.id, grantId });
}

/** RotateKey and DeleteKey are KMS's own service events. */
export function kmsServiceEvent(key: GeneratedKey, time: number, name: "RotateKey" | "DeleteKey"): CallSpec {
  return {
    time,
    source: KMS,
    name,
    region: key.region,
    caller: { type: "KmsInternal", account: key.account },
    recipient: key.account,
    request: null,
    resources: [keyResource(key)],
    readOnly: false,
    serviceEvent:
      name === "RotateKey"
        ? { details: { rotationType: "ON_DEMAND", keyOrigin: "AWS_KMS", keyId: key.id } }
        : {},
  };
}

export type UsageOperation =
  | "Decrypt"
  | "Encrypt"
  | "GenerateDataKey"
  | "GenerateDataKeyWithoutPlaintext"
  | "DescribeKey"
  | "ReEncrypt";

/** A cryptographic (or DescribeKey) call. Decrypt often names no key: the ciphertext does, and resources[] shows it. */
export function usageCall(
  op: UsageOperation,
  key: GeneratedKey,
  caller: Caller,
  time: number,
  context: Record<string, string> | null,
  keyRef: string | null,
  error?: CallSpec["error"],
): CallSpec {
  const ctx = context ? { encryptionContext: context } : {};
  const ref = keyRef ? { keyId: keyRef } : {};
  let request: Record<string, unknown>;
  switch (op) {
    case "Decrypt":
      request = { ...ref, encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...ctx };
      break;
    case "Encrypt":
      request = { keyId: keyRef ?? key.arn, encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...ctx };
      break;
    case "GenerateDataKey":
    case "GenerateDataKeyWithoutPlaintext":
      request = { keyId: keyRef ?? key.arn, keySpec: "AES_256", ...ctx };
      break;
    case "DescribeKey":
      request = { keyId: keyRef ?? key.arn };
      break;
    case "ReEncrypt":
      request = {
        sourceKeyId: key.arn,
        destinationKeyId: key.arn,
        sourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        destinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        ...(context ? { sourceEncryptionContext: context, destinationEncryptionContext: context } : {}),
      };
      break;
  }
  return {
    time,
    source: KMS,
    name: op,
    region: key.region,
    caller,
    recipient: key.account,
    request,
    resources: [keyResource(key)],
    readOnly: true,
    ...(error ? { error } : {}),
  };
}
