import type { GeneratedKey, GeneratedKeyState } from "./generated-key.js";
import { roleArn } from "./identities.js";
import { keyPolicy } from "./key-policy.js";
import {
  accessDenied,
  aliasCall,
  createGrant,
  createKey,
  enableKeyRotation,
  type GrantSpec,
  keyOnlyCall,
  kmsServiceEvent,
  putKeyPolicy,
  retireGrant,
  revokeGrant,
  scheduleKeyDeletion,
  tagResource,
} from "./kms-calls.js";
import type { Prng } from "./prng.js";
import type { CallSpec } from "./trail-record.js";
import type { AccountWorld, World } from "./world.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const APPS = ["orders", "reports", "billing", "ingest", "pipeline", "web", "backup", "audit"];

export interface KeyPlan {
  /** Keys sorted by creation time. */
  keys: GeneratedKey[];
  /** Management calls and KMS service events, sorted by time. */
  calls: CallSpec[];
}

interface Span {
  start: number;
  end: number;
}

interface KeyDraft {
  key: GeneratedKey;
  owner: AccountWorld;
  calls: CallSpec[];
  /** Calls at or after this time are dropped: the key is being deleted. */
  horizon: number;
  deleting: boolean;
  aliasMoved: boolean;
  /** The deletion's own calls and state changes, kept past the horizon. */
  ending: CallSpec[];
  endStates: { time: number; state: GeneratedKeyState }[];
}

function at(span: Span, from: number, to: number, prng: Prng): number {
  return Math.floor(span.start + (span.end - span.start) * (from + (to - from) * prng.next()));
}

function newKey(index: number, world: World, span: Span, prng: Prng): KeyDraft {
  const owner = world.accounts[index % world.accounts.length] as AccountWorld;
  const region =
    world.regions[Math.floor(index / world.accounts.length) % world.regions.length] ?? "us-east-1";
  const id = prng.uuid();
  // Most keys exist from the start of the trail; the rest appear later, so the trail shows creations too.
  const createdAt = prng.chance(0.7) ? at(span, 0, 0.05, prng) : at(span, 0.05, 0.6, prng);
  const partners = world.accounts.filter((account) => account.id !== owner.id);
  const partner = partners.length > 0 && prng.chance(0.4) ? prng.pick(partners).id : null;
  const key: GeneratedKey = {
    account: owner.id,
    region,
    id,
    arn: `arn:aws:kms:${region}:${owner.id}:key/${id}`,
    alias: `alias/${prng.pick(APPS)}-${index}`,
    aliases: [],
    createdAt,
    partner,
    table: null,
    changes: [{ time: createdAt, state: "Enabled" }],
  };
  return {
    key,
    owner,
    calls: [],
    horizon: span.end,
    deleting: false,
    aliasMoved: false,
    ending: [],
    endStates: [],
  };
}

function grantsFor(draft: KeyDraft, world: World, span: Span, prng: Prng): void {
  const { key, owner } = draft;
  const count = prng.int(3);
  for (let n = 0; n < count; n++) {
    const time =
      key.createdAt + prng.between(5 * MINUTE, Math.max(5 * MINUTE, (span.end - span.start) * 0.3));
    const grantId = prng.hex(64);
    const kind = prng.weighted(["ebs", "app", "partner"], [4, 4, key.partner ? 2 : 0]);
    const partnerWorld = world.accounts.find((account) => account.id === key.partner);
    const janitor = prng.pick(owner.appRoles);
    let grant: GrantSpec;
    let creator = owner.admin as CallSpec["caller"];
    if (kind === "ebs") {
      creator = owner.ebsRole;
      grant = {
        grantId,
        grantee: roleArn(owner.autoscalingRole),
        retiring: null,
        operations: [
          "Encrypt",
          "Decrypt",
          "ReEncryptFrom",
          "ReEncryptTo",
          "GenerateDataKeyWithoutPlaintext",
          "DescribeKey",
          "CreateGrant",
        ],
        constraints: null,
        name: null,
      };
    } else if (kind === "partner" && partnerWorld) {
      creator = partnerWorld.partnerRole;
      grant = {
        grantId,
        grantee: `arn:aws:iam::${partnerWorld.id}:role/PartnerWorker`,
        retiring: null,
        operations: ["Decrypt"],
        constraints: null,
        name: "partner-worker",
      };
    } else {
      grant = {
        grantId,
        grantee: roleArn(prng.pick(owner.appRoles)),
        retiring: roleArn(janitor),
        operations: ["Decrypt", "GenerateDataKey"],
        constraints: { encryptionContextSubset: { Department: prng.pick(["Finance", "Sales", "Ops"]) } },
        name: `${key.alias.slice(6)}-worker-${n}`,
      };
    }
    draft.calls.push(createGrant({ key, caller: creator, time }, grant));
    if (prng.chance(0.4)) {
      const closeAt = time + prng.between(10 * MINUTE, Math.max(10 * MINUTE, (span.end - span.start) * 0.3));
      draft.calls.push(
        grant.retiring
          ? retireGrant({ key, caller: janitor, time: closeAt }, grantId)
          : revokeGrant({ key, caller: owner.admin, time: closeAt }, grantId),
      );
    }
  }
}

/** DynamoDB's operations on a table's key, from the grant it creates for itself (services-dynamodb). */
const DYNAMODB_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "ReEncryptFrom",
  "ReEncryptTo",
  "DescribeKey",
  "CreateGrant",
  "RetireGrant",
];

/**
 * A DynamoDB table encrypted under the key: DynamoDB creates a grant for itself, invoked on behalf of the
 * table owner's role, to its regional service principal and constrained to the table's encryption context.
 * Its own calls on the key (usage-call.ts) come after it and carry that context, so the grant explains them.
 */
function tableGrant(draft: KeyDraft, prng: Prng): void {
  const { key, owner } = draft;
  const time = key.createdAt + prng.between(3 * MINUTE, 20 * MINUTE);
  if (time >= draft.horizon) return;
  const name = `${key.alias.slice(6)}-table`;
  const service = `dynamodb.${key.region}.amazonaws.com`;
  const grant: GrantSpec = {
    grantId: prng.hex(64),
    grantee: service,
    retiring: service,
    operations: DYNAMODB_OPERATIONS,
    constraints: {
      encryptionContextSubset: { "aws:dynamodb:tableName": name, "aws:dynamodb:subscriberId": key.account },
    },
    name: null,
  };
  const creator = { ...owner.adminRole, invokedBy: "dynamodb.amazonaws.com" };
  draft.calls.push(createGrant({ key, caller: creator, time }, grant));
  key.table = { name, since: time };
}

function setState(draft: KeyDraft, time: number, state: GeneratedKeyState): void {
  if (time < draft.horizon) draft.key.changes.push({ time, state });
}

/** Deletion: DeleteAlias, ScheduleKeyDeletion (7 days), then CancelKeyDeletion + EnableKey or DeleteKey. */
function deletion(draft: KeyDraft, span: Span, prng: Prng): void {
  const { key, owner } = draft;
  const scheduled = Math.max(key.createdAt + 30 * MINUTE, at(span, 0.6, 0.9, prng));
  if (scheduled >= span.end) return;
  draft.deleting = true;
  draft.horizon = scheduled - MINUTE;
  const admin = owner.admin;
  const end: CallSpec[] = [
    aliasCall({ key, caller: admin, time: scheduled - MINUTE }, "DeleteAlias", key.alias),
    scheduleKeyDeletion({ key, caller: admin, time: scheduled }, 7),
  ];
  const states: { time: number; state: GeneratedKeyState }[] = [
    { time: scheduled, state: "PendingDeletion" },
  ];
  if (prng.chance(0.3)) {
    const cancel = scheduled + prng.between(10 * MINUTE, 60 * MINUTE);
    end.push(keyOnlyCall({ key, caller: admin, time: cancel }, "CancelKeyDeletion"));
    end.push(keyOnlyCall({ key, caller: admin, time: cancel + 5 * MINUTE }, "EnableKey"));
    // CancelKeyDeletion leaves the key Disabled, not Enabled (docs/replay.md).
    states.push({ time: cancel, state: "Disabled" }, { time: cancel + 5 * MINUTE, state: "Enabled" });
  } else if (scheduled + 7 * DAY < span.end) {
    end.push(kmsServiceEvent(key, scheduled + 7 * DAY + 7_000, "DeleteKey"));
    states.push({ time: scheduled + 7 * DAY + 7_000, state: "Deleted" });
  }
  draft.ending = end.filter((call) => call.time < span.end);
  draft.endStates = states.filter((change) => change.time < span.end);
}

function lifecycle(draft: KeyDraft, drafts: KeyDraft[], span: Span, prng: Prng, world: World): void {
  const { key, owner } = draft;
  const t0 = key.createdAt;
  const creator = prng.weighted([owner.admin, owner.adminRole, owner.root], [7, 2, 1]);
  const policy = prng.chance(0.8) ? keyPolicy(owner, key.partner, 1) : null;
  if (!policy) key.partner = null;
  if (prng.chance(0.1)) deletion(draft, span, prng);
  draft.calls.push(createKey({ key, caller: creator, time: t0 }, `${key.alias.slice(6)} data key`, policy));
  const aliasAt = t0 + prng.between(30_000, 120_000);
  draft.calls.push(aliasCall({ key, caller: creator, time: aliasAt }, "CreateAlias", key.alias));
  // A deleting key's alias ends at the horizon, with its DeleteAlias.
  key.aliases.push({ name: key.alias, from: aliasAt, to: draft.deleting ? draft.horizon : Infinity });
  if (prng.chance(0.5))
    draft.calls.push(
      tagResource(
        { key, caller: owner.admin, time: t0 + prng.between(2, 5) * MINUTE },
        "team",
        prng.pick(APPS),
      ),
    );
  if (prng.chance(0.6))
    draft.calls.push(
      enableKeyRotation({ key, caller: owner.admin, time: t0 + prng.between(1, 10) * MINUTE }),
    );
  grantsFor(draft, world, span, prng);
  if (prng.chance(0.5)) tableGrant(draft, prng);
  if (prng.chance(0.3)) {
    const time = t0 + prng.between(10 * MINUTE, Math.max(10 * MINUTE, (span.end - span.start) * 0.5));
    draft.calls.push(putKeyPolicy({ key, caller: owner.admin, time }, keyPolicy(owner, key.partner, 2)));
  }
  if (prng.chance(0.15)) {
    const time = t0 + prng.between(20 * MINUTE, Math.max(20 * MINUTE, (span.end - span.start) * 0.4));
    draft.calls.push(keyOnlyCall({ key, caller: owner.admin, time }, "RotateKeyOnDemand"));
    draft.calls.push(kmsServiceEvent(key, time + 2_000, "RotateKey"));
  }
  if (prng.chance(0.15)) {
    const off = t0 + prng.between(30 * MINUTE, Math.max(30 * MINUTE, (span.end - span.start) * 0.4));
    const on = off + prng.between(10 * MINUTE, 120 * MINUTE);
    if (on < draft.horizon) {
      draft.calls.push(keyOnlyCall({ key, caller: owner.admin, time: off }, "DisableKey"));
      draft.calls.push(keyOnlyCall({ key, caller: owner.admin, time: on }, "EnableKey"));
      setState(draft, off, "Disabled");
      setState(draft, on, "Enabled");
    }
  }
  if (prng.chance(0.1)) {
    const bob = owner.people[1] ?? owner.admin;
    const time = t0 + prng.between(MINUTE, Math.max(MINUTE, (span.end - span.start) * 0.5));
    draft.calls.push(
      scheduleKeyDeletion({ key, caller: bob, time }, 7, accessDenied(bob, "ScheduleKeyDeletion", key)),
    );
  }
  // An alias moves only between keys that keep theirs: a deleting key's DeleteAlias ends its alias.
  const older = draft.deleting
    ? undefined
    : drafts.find(
        (other) =>
          other !== draft &&
          !other.deleting &&
          !other.aliasMoved &&
          other.key.account === key.account &&
          other.key.region === key.region &&
          other.key.createdAt < t0,
      );
  if (older && prng.chance(0.2)) {
    // The usual key replacement: the older key's alias is repointed to the new key.
    older.aliasMoved = true;
    const time = t0 + prng.between(5 * MINUTE, 60 * MINUTE);
    draft.calls.push(aliasCall({ key, caller: owner.admin, time }, "UpdateAlias", older.key.alias));
    for (const moved of older.key.aliases) if (moved.name === older.key.alias) moved.to = time;
    key.aliases.push({ name: older.key.alias, from: time, to: Infinity });
  }
}

/**
 * Plans every key's life over the span: the management calls (with their times) and the state changes they
 * make, so usage can be generated window by window afterwards without holding the usage in memory.
 */
export function planKeys(world: World, keys: number, span: Span, prng: Prng): KeyPlan {
  const drafts: KeyDraft[] = [];
  for (let index = 0; index < keys; index++) {
    const draft = newKey(index, world, span, prng);
    lifecycle(draft, drafts, span, prng, world);
    drafts.push(draft);
  }
  const calls = drafts.flatMap((draft) => [
    ...draft.calls.filter((call) => call.time < draft.horizon && call.time < span.end),
    ...draft.ending,
  ]);
  for (const draft of drafts) {
    draft.key.changes = [
      ...draft.key.changes.filter((change) => change.time < draft.horizon),
      ...draft.endStates,
    ];
    draft.key.changes.sort((a, b) => a.time - b.time);
  }
  return {
    keys: drafts.map((draft) => draft.key).sort((a, b) => a.createdAt - b.createdAt),
    calls: calls.sort((a, b) => a.time - b.time),
  };
}
