import type { Principal } from "../events/index.js";
import { normalizePrincipal } from "../events/index.js";
import {
  expandActions,
  isPolicyParseProblem,
  matchesWildcard,
  type ParsedStatement,
  parsePolicy,
} from "../policy/index.js";
import type { CaseData } from "./case-data.js";
import {
  type NodeLabel,
  type NodeProperties,
  type RelationshipName,
  type RelationshipProperties,
  USAGE_BUCKET_MS,
} from "./schema.js";
import type { Confidence, GrantRecord, Interval, KeyRecord, PolicyVersion } from "./types.js";
import { keyColumnOf, type UsageStore } from "./usage-store.js";

/** A relationship between two nodes named by their unique property, with its declared properties. */
export interface RelationshipRow<R extends RelationshipName> {
  start: string;
  end: string;
  properties: RelationshipProperties<R>;
}

/** The whole model as rows per label and relationship: what buildGraph, the Neo4j loader and export read. */
export interface GraphRows {
  nodes: { [L in NodeLabel]: NodeProperties<L>[] };
  relationships: { [R in RelationshipName]: RelationshipRow<R>[] };
}

/** A coverage gap as the query stage computes it (src/query computeGaps), pushed as a Gap node. */
export interface GapFact {
  account: string;
  region: string;
  from: number;
  to: number | null;
  reason: string;
  detail: string;
  eventIds: string[];
  confidence: Confidence;
  keyArn: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function intervalProperties(interval: Omit<Interval<unknown>, "value">) {
  return {
    from: iso(interval.from),
    to: isoOrNull(interval.to),
    confidence: interval.confidence,
    openedBy: interval.openedBy,
    closedBy: interval.closedBy,
  };
}

/** Principals named anywhere (actors, grantees, statements, usage), merged by id, richest record first. */
class PrincipalRows {
  readonly rows = new Map<string, NodeProperties<"Principal">>();

  add(principal: Principal): string {
    if (!this.rows.has(principal.id)) {
      this.rows.set(principal.id, {
        id: principal.id,
        kind: principal.kind,
        account: principal.account,
        sessionNames: [],
        principalIds: [],
      });
    }
    return principal.id;
  }

  addId(id: string): string {
    return this.rows.has(id) ? id : this.add(normalizePrincipal(id));
  }
}

function keyRow(key: KeyRecord): NodeProperties<"Key"> {
  return {
    arn: key.arn,
    keyId: key.keyId,
    account: key.account,
    region: key.region,
    multiRegion: key.multiRegion,
    origin: key.origin,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    createdAt: isoOrNull(key.createdAt),
    createdBy: key.createdBy,
    firstSeen: iso(key.firstSeen),
  };
}

function grantRow(grant: GrantRecord): NodeProperties<"Grant"> {
  return {
    grantId: grant.grantId,
    name: grant.grantName,
    operations: grant.operations,
    // Absent means known (GrantRecord): a case file written before the field existed loads as it was.
    operationsKnown: grant.operationsKnown !== false,
    constraints: grant.constraints === null ? null : JSON.stringify(grant.constraints),
    creator: grant.creator,
    createdByService: grant.createdByService,
    closeReason: grant.closeReason,
    ...intervalProperties(grant),
  };
}

const policyId = (version: PolicyVersion) => `${version.keyArn}#v${version.version}`;

function resourceCoversKey(statement: ParsedStatement, keyArn: string): boolean {
  if (!statement.resources) return true;
  const listed = statement.resources.patterns.some((pattern) => matchesWildcard(pattern, keyArn, false));
  return statement.resources.kind === "Resource" ? listed : !listed;
}

/** One ALLOWS/DENIES row per statement and principal named (NotPrincipal: one row to `*` with `except`). */
function statementRows(
  version: PolicyVersion,
  statements: readonly ParsedStatement[],
  principals: PrincipalRows,
): { allows: RelationshipRow<"allows">[]; denies: RelationshipRow<"denies">[] } {
  const allows: RelationshipRow<"allows">[] = [];
  const denies: RelationshipRow<"denies">[] = [];
  for (const statement of statements) {
    if (!resourceCoversKey(statement, version.keyArn)) continue;
    const actions = expandActions(statement.actions);
    if (actions.length === 0) continue;
    const notPrincipal = statement.principals.kind === "NotPrincipal";
    const named = notPrincipal
      ? [normalizePrincipal("*")]
      : statement.principals.entries.map((entry) => entry.principal);
    const shared = {
      statement: statement.index,
      sid: statement.sid,
      actions,
      conditions: statement.condition === null ? null : JSON.stringify(statement.condition),
      conditional: statement.condition !== null && Object.keys(statement.condition).length > 0,
      except: notPrincipal ? statement.principals.entries.map((entry) => entry.principal.id) : [],
    };
    for (const principal of named) {
      const start = policyId(version);
      const end = principals.add(principal);
      const row = { start, end, properties: { id: `${start}|${statement.index}|${end}`, ...shared } };
      (statement.effect === "Allow" ? allows : denies).push(row);
    }
  }
  return { allows, denies };
}

function policyRows(data: CaseData, principals: PrincipalRows, rows: GraphRows): void {
  for (const key of data.keys) {
    for (const version of key.policies) {
      const parsed = parsePolicy(version.document);
      const problem = isPolicyParseProblem(parsed) ? parsed.reason : null;
      rows.nodes.PolicyVersion.push({
        id: policyId(version),
        keyArn: version.keyArn,
        version: version.version,
        document: JSON.stringify(version.document),
        parseProblem: problem,
        ...intervalProperties(version),
      });
      rows.relationships.policyOf.push({
        start: policyId(version),
        end: key.arn,
        properties: { from: iso(version.from), to: isoOrNull(version.to) },
      });
      if (isPolicyParseProblem(parsed)) continue;
      const { allows, denies } = statementRows(version, parsed.statements, principals);
      rows.relationships.allows.push(...allows);
      rows.relationships.denies.push(...denies);
    }
  }
}

/** USED rows: the usage store aggregated per principal, key, key role, operation and UTC hour. */
function usedRows(
  store: UsageStore,
  keys: ReadonlySet<string>,
  principals: PrincipalRows,
): RelationshipRow<"used">[] {
  const buckets = new Map<string, RelationshipRow<"used"> & { firstMs: number; lastMs: number }>();
  for (let index = 0; index < store.size; index++) {
    const t = store.timeAt(index);
    const principal = store.field(index, "principal") ?? "";
    const operation = store.field(index, "operation") ?? "";
    const failed = store.field(index, "errorCode") !== null;
    const bucket = t - (((t % USAGE_BUCKET_MS) + USAGE_BUCKET_MS) % USAGE_BUCKET_MS);
    const targets: [string | null, "key" | "destination"][] = [
      [store.field(index, "key"), "key"],
      [store.field(index, "destinationKey"), "destination"],
    ];
    for (const [key, role] of targets) {
      if (key === null || !keys.has(key)) continue;
      const id = `${principal}\u0000${key}\u0000${role}\u0000${operation}\u0000${bucket}`;
      let row = buckets.get(id);
      if (!row) {
        row = {
          start: principals.addId(principal),
          end: key,
          properties: {
            id: `${principal}|${key}|${operation}|${role}|${iso(bucket)}`,
            operation,
            role,
            bucket: iso(bucket),
            first: "",
            last: "",
            count: 0,
            denied: 0,
            keyFromAlias: 0,
            deniedKeyFromAlias: 0,
          },
          firstMs: t,
          lastMs: t,
        };
        buckets.set(id, row);
      }
      row.firstMs = Math.min(row.firstMs, t);
      row.lastMs = Math.max(row.lastMs, t);
      if (failed) row.properties.denied++;
      else row.properties.count++;
      if (store.keyFromAlias(index, keyColumnOf(role))) {
        row.properties.keyFromAlias++;
        if (failed) row.properties.deniedKeyFromAlias++;
      }
    }
  }
  return [...buckets.values()].map(({ start, end, properties, firstMs, lastMs }) => ({
    start,
    end,
    properties: { ...properties, first: iso(firstMs), last: iso(lastMs) },
  }));
}

function gapId(gap: GapFact): string {
  const base = `${gap.account}/${gap.region}/${gap.reason}/${iso(gap.from)}`;
  return gap.keyArn === null ? base : `${base}/${gap.keyArn}`;
}

function emptyRows(): GraphRows {
  return {
    nodes: {
      Key: [],
      KeyState: [],
      Alias: [],
      Grant: [],
      Principal: [],
      Account: [],
      PolicyVersion: [],
      Event: [],
      Gap: [],
    },
    relationships: {
      aliasOf: [],
      inState: [],
      policyOf: [],
      allows: [],
      denies: [],
      grantOn: [],
      grantedTo: [],
      retirableBy: [],
      createdKey: [],
      createdGrant: [],
      used: [],
      performed: [],
      on: [],
      keyInAccount: [],
      principalInAccount: [],
      gapOn: [],
    },
  };
}

function keyRows(data: CaseData, principals: PrincipalRows, rows: GraphRows): void {
  const states = new Set<string>();
  for (const key of data.keys) {
    rows.nodes.Key.push(keyRow(key));
    rows.relationships.keyInAccount.push({ start: key.arn, end: key.account, properties: {} });
    for (const state of key.states) {
      states.add(state.value);
      rows.relationships.inState.push({
        start: key.arn,
        end: state.value,
        properties: { id: `${key.arn}|${state.value}|${iso(state.from)}`, ...intervalProperties(state) },
      });
    }
    if (key.createdBy !== null && key.createdAt !== null) {
      rows.relationships.createdKey.push({
        start: principals.addId(key.createdBy),
        end: key.arn,
        properties: { at: iso(key.createdAt), eventId: key.createdByEventId ?? "" },
      });
    }
  }
  rows.nodes.KeyState.push(...[...states].sort().map((name) => ({ name })));
}

function grantRows(
  data: CaseData,
  keys: ReadonlySet<string>,
  principals: PrincipalRows,
  rows: GraphRows,
): void {
  for (const grant of data.grants) {
    if (!keys.has(grant.keyArn)) continue;
    rows.nodes.Grant.push(grantRow(grant));
    rows.relationships.grantOn.push({ start: grant.grantId, end: grant.keyArn, properties: {} });
    if (grant.grantee)
      rows.relationships.grantedTo.push({
        start: grant.grantId,
        end: principals.add(grant.grantee),
        properties: {},
      });
    if (grant.retiringPrincipal) {
      const end = principals.add(grant.retiringPrincipal);
      rows.relationships.retirableBy.push({ start: grant.grantId, end, properties: {} });
    }
    // A grant known only from its retirement or revocation has no creating record, so no creator to draw.
    const creation = grant.openedBy[0];
    if (creation === undefined) continue;
    rows.relationships.createdGrant.push({
      start: principals.addId(grant.creator),
      end: grant.grantId,
      properties: { at: iso(grant.from), eventId: creation },
    });
  }
}

function aliasRows(data: CaseData, keys: ReadonlySet<string>, rows: GraphRows): void {
  const aliases = new Map<string, NodeProperties<"Alias">>();
  for (const interval of data.aliases) {
    if (!keys.has(interval.value)) continue;
    const { name, account, region } = interval.alias;
    const arn = `arn:aws:kms:${region}:${account}:${name}`;
    aliases.set(arn, { arn, name, account, region });
    rows.relationships.aliasOf.push({
      start: arn,
      end: interval.value,
      properties: { id: `${arn}|${interval.value}|${iso(interval.from)}`, ...intervalProperties(interval) },
    });
  }
  rows.nodes.Alias.push(...aliases.values());
}

function eventRows(
  data: CaseData,
  keys: ReadonlySet<string>,
  principals: PrincipalRows,
  rows: GraphRows,
): void {
  for (const event of data.events) {
    rows.nodes.Event.push({
      eventId: event.eventId,
      alsoEventIds: event.alsoEventIds,
      name: event.name,
      time: iso(event.time),
      account: event.account,
      region: event.region,
      actor: event.actor.id,
      sessionName: event.actor.sessionName,
      invokedBy: event.invokedBy,
      sourceIp: event.sourceIp,
      errorCode: event.error?.code ?? null,
      summary: event.summary,
      details: JSON.stringify(event.details),
    });
    rows.relationships.performed.push({
      start: principals.add(event.actor),
      end: event.eventId,
      properties: {},
    });
    for (const key of new Set(event.keys)) {
      if (keys.has(key)) rows.relationships.on.push({ start: event.eventId, end: key, properties: {} });
    }
  }
}

function gapRows(gaps: readonly GapFact[], keys: ReadonlySet<string>, rows: GraphRows): void {
  for (const gap of gaps) {
    const id = gapId(gap);
    rows.nodes.Gap.push({
      id,
      account: gap.account,
      region: gap.region,
      from: iso(gap.from),
      to: isoOrNull(gap.to),
      reason: gap.reason,
      detail: gap.detail,
      confidence: gap.confidence,
      keyArn: gap.keyArn,
      eventIds: gap.eventIds,
    });
    if (gap.keyArn !== null && keys.has(gap.keyArn))
      rows.relationships.gapOn.push({ start: id, end: gap.keyArn, properties: {} });
  }
}

/** Principals and accounts last: every other row may have named one. */
function principalAndAccountRows(data: CaseData, principals: PrincipalRows, rows: GraphRows): void {
  for (const record of data.principals) {
    principals.rows.set(record.id, {
      id: record.id,
      kind: record.kind,
      account: record.account,
      sessionNames: record.sessionNames,
      principalIds: record.principalIds,
    });
  }
  const accounts = new Set(data.keys.map((key) => key.account));
  for (const principal of principals.rows.values()) {
    rows.nodes.Principal.push(principal);
    if (principal.account === null) continue;
    accounts.add(principal.account);
    rows.relationships.principalInAccount.push({
      start: principal.id,
      end: principal.account,
      properties: {},
    });
  }
  rows.nodes.Account.push(...[...accounts].sort().map((id) => ({ id })));
}

/**
 * The model as graph rows, in the shape graphSchema declares. Gaps are derived by the query stage, so the caller
 * passes them in. Every relationship row names nodes that are in the rows.
 */
export function graphRows(data: CaseData, gaps: readonly GapFact[] = []): GraphRows {
  const rows = emptyRows();
  const principals = new PrincipalRows();
  const keys = new Set(data.keys.map((key) => key.arn));
  keyRows(data, principals, rows);
  policyRows(data, principals, rows);
  grantRows(data, keys, principals, rows);
  aliasRows(data, keys, rows);
  eventRows(data, keys, principals, rows);
  rows.relationships.used.push(...usedRows(data.usage, keys, principals));
  gapRows(gaps, keys, rows);
  principalAndAccountRows(data, principals, rows);
  return rows;
}
