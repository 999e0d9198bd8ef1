import { normalizePrincipal } from "../../../src/events/index.js";
import type {
  AliasInterval,
  CaseData,
  CoverageSpan,
  GrantRecord,
  KeyRecord,
  ManagementEvent,
  PolicyVersion,
  PrincipalRecord,
  UsageRow,
} from "../../../src/model/index.js";
import { CaseModel, UsageStore } from "../../../src/model/index.js";
import { type DetectorName, type Finding, findings } from "../../../src/query/index.js";

/** Small hand-built cases for detectors whose trigger would be contrived as a trail. Times are minutes. */
export const ACCOUNT = "111122223333";
export const OUTSIDER = "999988887777";
export const REGION = "us-east-1";
export const T0 = Date.parse("2024-06-01T10:00:00Z");
export const at = (minutes: number) => T0 + minutes * 60_000;
export const keyArn = (id: string, account = ACCOUNT) => `arn:aws:kms:${REGION}:${account}:key/${id}`;
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
export const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
export const PARTNER = `arn:aws:iam::${OUTSIDER}:role/Partner`;

export function rootPolicy(...extra: unknown[]) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Root",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...extra,
    ],
  };
}

export const allow = (sid: string, principal: string, action = "kms:Decrypt") => ({
  Sid: sid,
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: action,
  Resource: "*",
});

export function policyVersion(
  key: string,
  version: number,
  from: number,
  document: unknown,
  eventId: string,
): PolicyVersion {
  return {
    keyArn: key,
    version,
    document,
    from,
    to: null,
    openedBy: [eventId],
    closedBy: [],
    confidence: "recorded",
  };
}

export function key(id: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    arn: keyArn(id),
    keyId: id,
    account: ACCOUNT,
    region: REGION,
    firstSeen: at(0),
    createdAt: at(0),
    createdBy: null,
    createdByEventId: null,
    origin: "AWS_KMS",
    keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
    multiRegion: false,
    states: [
      {
        from: at(0),
        to: null,
        value: "Enabled",
        openedBy: [`create-${id}`],
        closedBy: [],
        confidence: "recorded",
      },
    ],
    deletionDates: [],
    rotation: [],
    rotations: [],
    material: [],
    descriptions: [],
    tags: [],
    multiRegionRoles: [],
    policies: [],
    ...overrides,
  };
}

/** Key k-1 with one key policy version per document, ten minutes apart, each put by event PutKeyPolicy-<n>. */
export function withPolicies(...documents: unknown[]): KeyRecord {
  const arn = keyArn("k-1");
  return key("k-1", {
    policies: documents.map((doc, i) => policyVersion(arn, i + 1, at(i * 10), doc, `PutKeyPolicy-${i + 1}`)),
  });
}

export function event(
  name: string,
  time: number,
  actor: string,
  keys: string[],
  overrides: Partial<ManagementEvent> = {},
): ManagementEvent {
  return {
    eventId: `${name}-${time}`,
    alsoEventIds: [],
    name,
    time,
    account: ACCOUNT,
    region: REGION,
    actor: {
      ...normalizePrincipal(actor),
      identityType: "AssumedRole",
      arn: actor,
      principalId: null,
      sessionName: null,
      accessKeyId: null,
    },
    invokedBy: null,
    sourceIp: null,
    userAgent: null,
    error: null,
    keys,
    summary: name,
    details: {},
    file: "built",
    ...overrides,
  };
}

export function grant(id: string, key: string, grantee: string, creator = ADMIN): GrantRecord {
  return {
    grantId: id,
    keyArn: key,
    grantName: null,
    grantee: normalizePrincipal(grantee),
    retiringPrincipal: null,
    operations: ["Decrypt"],
    constraints: null,
    creator,
    createdByService: null,
    from: at(5),
    to: null,
    openedBy: [`CreateGrant-${id}`],
    closedBy: [],
    closeReason: null,
    closedByPrincipal: null,
    confidence: "recorded",
  };
}

export function alias(
  name: string,
  target: string,
  from: number,
  to: number | null,
  openedBy: string,
): AliasInterval {
  return {
    alias: { name, account: ACCOUNT, region: REGION },
    value: target,
    from,
    to,
    openedBy: [openedBy],
    closedBy: [],
    confidence: "recorded",
  };
}

export function call(
  operation: string,
  time: number,
  principal: string,
  key: string,
  overrides: Partial<UsageRow> = {},
): UsageRow {
  return {
    time,
    eventId: `${operation}-${principal.slice(-8)}-${time}`,
    alsoEventIds: [],
    keysFromAlias: [],
    operation,
    key,
    keyRef: null,
    destinationKey: null,
    principal,
    sessionName: null,
    invokedBy: null,
    errorCode: null,
    account: ACCOUNT,
    region: REGION,
    sourceIp: null,
    encryptionContext: null,
    ...overrides,
  };
}

export interface BuiltCase {
  keys?: KeyRecord[];
  grants?: GrantRecord[];
  aliases?: AliasInterval[];
  events?: ManagementEvent[];
  usage?: UsageRow[];
  principals?: PrincipalRecord[];
  /** Spans read besides the one of ACCOUNT/REGION that the case's times make */
  coverage?: CoverageSpan[];
}

export function buildModel(parts: BuiltCase): CaseModel {
  const store = new UsageStore();
  for (const row of parts.usage ?? []) store.append(row);
  const events = parts.events ?? [];
  const times = [...events.map((e) => e.time), ...(parts.usage ?? []).map((row) => row.time), at(0)];
  const data: CaseData = {
    keys: parts.keys ?? [],
    grants: parts.grants ?? [],
    aliases: parts.aliases ?? [],
    principals: parts.principals ?? [],
    events,
    usage: store.sorted(),
    coverage: [
      {
        account: ACCOUNT,
        region: REGION,
        from: Math.min(...times),
        to: Math.max(...times),
        records: times.length,
      },
      ...(parts.coverage ?? []),
    ],
    stats: {} as CaseData["stats"],
    end: Math.max(...times),
  };
  return new CaseModel(data);
}

/** The findings of one detector on a hand-built case. */
export function found(parts: BuiltCase, detector: DetectorName): Finding[] {
  return findings(buildModel(parts)).findings.filter((finding) => finding.detector === detector);
}
