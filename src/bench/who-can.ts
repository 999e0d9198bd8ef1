import { performance } from "node:perf_hooks";
import { ADMIN_ACTIONS, USE_ACTIONS } from "../generate/index.js";
import type { CaseData, GrantRecord, KeyRecord, ReplayStats } from "../model/index.js";
import { CaseModel, UsageStore } from "../model/index.js";
import { whoCanAt } from "../query/index.js";

/**
 * who-can benchmark (not a test): a synthetic case built in memory — 10k keys with realistic key policies,
 * 100k grants, 1M usage rows — loaded into a CaseModel, then who-can for every key operation on 100 random
 * keys at random instants. Prints a table and one JSON line. Goal: under 100 ms per question once loaded.
 * Run: `node dist/bench/who-can.js` (after `npm run build`).
 */
const KEYS = 10_000;
const GRANTS_PER_KEY = 10;
const USAGE_ROWS = 1_000_000;
const QUESTIONS = 100;
const ACCOUNT = "111122223333";
const REGION = "us-east-1";
const START = Date.parse("2024-01-01T00:00:00Z");
const SPAN = 30 * 24 * 3600 * 1000;

// A seeded generator, so that two runs time the same case.
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const ROLES = Array.from({ length: 200 }, (_, i) => role(`app-${i}`));
const GRANT_OPERATIONS = [
  ["Decrypt"],
  ["Encrypt", "Decrypt", "GenerateDataKey"],
  ["Decrypt", "CreateGrant"],
  ["Sign"],
];

/** The console's default policy shape plus a conditional service statement and a conditional Deny. */
function keyPolicy(app: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "Allow access for Key Administrators",
        Effect: "Allow",
        Principal: { AWS: role("KeyAdmin") },
        Action: ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "Allow use of the key",
        Effect: "Allow",
        Principal: { AWS: app },
        Action: USE_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
      },
      {
        Sid: "Allow attachment of persistent resources",
        Effect: "Allow",
        Principal: { AWS: app },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "Deny outside the org",
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-example" } },
      },
    ],
  };
}

function syntheticKey(index: number): KeyRecord {
  const keyId = `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
  const created = START + Math.floor(random() * SPAN * 0.1);
  const disabledAt = created + Math.floor(random() * SPAN);
  const interval = <T>(from: number, to: number | null, value: T) => ({
    from,
    to,
    value,
    openedBy: [`ev-${index}-${from}`],
    closedBy: [],
    confidence: "recorded" as const,
  });
  const policyAt = (from: number, to: number | null, version: number) => ({
    keyArn: arn,
    version,
    document: keyPolicy(pick(ROLES)),
    from,
    to,
    openedBy: [`ev-${index}-p${version}`],
    closedBy: [],
    confidence: "recorded" as const,
  });
  const policyChange = created + Math.floor(random() * SPAN);
  return {
    arn,
    keyId,
    account: ACCOUNT,
    region: REGION,
    firstSeen: created,
    createdAt: created,
    createdBy: role("KeyAdmin"),
    createdByEventId: null,
    origin: "AWS_KMS",
    keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
    multiRegion: false,
    states: [interval(created, disabledAt, "Enabled"), interval(disabledAt, null, "Disabled")],
    deletionDates: [],
    rotation: [interval(created, null, { enabled: true, periodDays: 365 })],
    rotations: [],
    material: [],
    descriptions: [],
    tags: [],
    multiRegionRoles: [],
    policies: [policyAt(created, policyChange, 1), policyAt(policyChange, null, 2)],
  };
}

function syntheticGrant(key: KeyRecord, index: number): GrantRecord {
  const from = key.firstSeen + Math.floor(random() * SPAN);
  const grantee = pick(ROLES);
  const constrained = random() < 0.3;
  return {
    grantId: `${key.keyId}-g${index}`,
    keyArn: key.arn,
    grantName: null,
    grantee: { id: grantee, kind: "role", account: ACCOUNT },
    retiringPrincipal: null,
    operations: pick(GRANT_OPERATIONS),
    constraints: constrained
      ? { encryptionContextSubset: { app: grantee.slice(-6) }, encryptionContextEquals: null }
      : null,
    creator: role("KeyAdmin"),
    createdByService: random() < 0.5 ? "ec2.amazonaws.com" : null,
    from,
    to: random() < 0.5 ? from + Math.floor(random() * SPAN) : null,
    openedBy: [`grant-ev-${key.keyId}-${index}`],
    closedBy: [],
    closeReason: null,
    closedByPrincipal: null,
    confidence: "recorded",
  };
}

function syntheticUsage(keys: KeyRecord[]): UsageStore {
  const store = new UsageStore();
  for (let row = 0; row < USAGE_ROWS; row++) {
    const key = pick(keys);
    store.append({
      time: START + Math.floor((row / USAGE_ROWS) * SPAN),
      eventId: `u-${row}`,
      alsoEventIds: [],
      keysFromAlias: [],
      operation: pick(["Decrypt", "Encrypt", "GenerateDataKey"]),
      key: key.arn,
      keyRef: null,
      destinationKey: null,
      principal: pick(ROLES),
      sessionName: null,
      invokedBy: null,
      errorCode: random() < 0.02 ? "AccessDenied" : null,
      account: ACCOUNT,
      region: REGION,
      sourceIp: null,
      encryptionContext: null,
    });
  }
  return store;
}

const stats: ReplayStats = {
  files: 0,
  bytes: 0,
  recordsRead: 0,
  droppedIrrelevant: 0,
  duplicates: 0,
  sharedCopiesMerged: 0,
  kmsEvents: 0,
  trailEvents: 0,
  stsEvents: 0,
  managementEvents: 0,
  usageEvents: USAGE_ROWS,
  failedCalls: 0,
  issues: 0,
  issuesByCode: {},
  filesWithIssues: [],
  firstIssues: [],
  unresolvedKeyRefs: 0,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const buildStart = performance.now();
const keys = Array.from({ length: KEYS }, (_, i) => syntheticKey(i));
const grants = keys.flatMap((key) =>
  Array.from({ length: GRANTS_PER_KEY }, (_, i) => syntheticGrant(key, i)),
);
const data: CaseData = {
  keys,
  grants,
  aliases: [],
  principals: [],
  events: [],
  usage: syntheticUsage(keys),
  coverage: [{ account: ACCOUNT, region: REGION, from: START, to: START + SPAN, records: USAGE_ROWS }],
  stats,
  end: START + SPAN,
};
const built = performance.now() - buildStart;
const loadStart = performance.now();
const model = new CaseModel(data);
const loaded = performance.now() - loadStart;

// The first question also computes the case's gaps (cached per model) and warms the JIT: reported apart.
const firstStart = performance.now();
whoCanAt(model, pick(keys).arn, START + SPAN / 2);
const first = performance.now() - firstStart;
const timings: number[] = [];
let principals = 0;
for (let i = 0; i < QUESTIONS; i++) {
  const key = pick(keys);
  const t = START + Math.floor(random() * SPAN);
  const begin = performance.now();
  principals += whoCanAt(model, key.arn, t).principals.length;
  timings.push(performance.now() - begin);
}
const sorted = [...timings].sort((a, b) => a - b);
const result = {
  bench: "who-can",
  keys: KEYS,
  grants: grants.length,
  usageRows: data.usage.size,
  questions: QUESTIONS,
  buildMs: Math.round(built),
  loadMs: Math.round(loaded),
  firstMs: Math.round(first),
  p50Ms: +percentile(sorted, 50).toFixed(2),
  p95Ms: +percentile(sorted, 95).toFixed(2),
  maxMs: +(sorted.at(-1) ?? 0).toFixed(2),
  meanPrincipals: +(principals / QUESTIONS).toFixed(1),
  goalMs: 100,
};
const rows: [string, string][] = [
  ["case", `${KEYS} keys, ${grants.length} grants, ${data.usage.size} usage rows`],
  ["build (synthetic)", `${result.buildMs} ms`],
  ["load (CaseModel)", `${result.loadMs} ms`],
  ["first question (gaps, warm-up)", `${result.firstMs} ms`],
  [
    `who-can x${QUESTIONS} (all operations)`,
    `p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`,
  ],
  ["goal", `< ${result.goalMs} ms per question: ${result.p95Ms < result.goalMs ? "met" : "MISSED"}`],
];
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(
  `${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join("\n")}\n${JSON.stringify(result)}\n`,
);
