import { type Principal, roleSessionOf, sessionArnOf } from "../events/index.js";
import type { CaseModel, GrantRecord, KeyRecord, PolicyVersion, UsageStore } from "../model/index.js";
import { countAtOrBefore } from "../model/index.js";
import {
  authorizeOperation,
  type Coverage,
  type CoverageTarget,
  constraintsHold,
  type DenyNote,
  entryCovers,
  grantAllows,
  type KmsRequestFacts,
  kmsActionFor,
  kmsRequestContext,
  type OperationAnswer,
  type PrincipalAuthorization,
  principalIdentityFacts,
  type ReEncryptSide,
  recordNetworkFacts,
  routeHoldsOutright,
  type Via,
} from "../policy/index.js";
import { callerDenies } from "./caller-denies.js";
import { childMap } from "./child-map.js";
import { KEY_OPERATIONS } from "./key-operations.js";
import { type PolicyAt, policyAt, policyOf } from "./policy-at.js";
import { principalLookup } from "./principal-filter.js";
import { PROPAGATION_MS } from "./propagation.js";
import { type StateRefusal, stateChanges, stateRefusal } from "./state-verdict.js";

export type AttributionBasis = "grant" | "keyPolicy" | "iamDelegation" | "none";

/** Why no candidate was found. */
export type NoneReason =
  | "key-unknown"
  | "no-key"
  | "key-state"
  | "policy-unknown"
  | "policy-unreadable"
  | "denied-by-policy"
  | "no-route";

/**
 * Reasons that contradict a successful call outright: the replayed state says KMS would have refused it. The
 * others say only that nothing known explains it (no-route), or that it cannot be judged.
 */
export const CONTRADICTED: ReadonlySet<NoneReason> = new Set(["key-state", "denied-by-policy"]);

/** Reasons under which the call was judged and found unexplained (the rest are not judged). */
export const UNEXPLAINED: ReadonlySet<NoneReason> = new Set(["key-state", "denied-by-policy", "no-route"]);

/** Calls the replayed state cannot judge: their key, or the key policy in force, is unknown or unreadable. */
export const UNJUDGED: ReadonlySet<NoneReason> = new Set([
  "key-unknown",
  "policy-unknown",
  "policy-unreadable",
]);

/** One grant or statement that could have authorized a call: a who-can `via` plus its provenance. */
export interface AttributionCandidate extends Via {
  /** The policy version the statement belongs to (keyPolicy, iamDelegation). */
  policyVersion?: number;
  /**
   * The grant was already retired or revoked, or the statement's policy version already replaced, but less
   * than KMS's propagation delay before the call.
   */
  withinPropagationDelay?: true;
  /** The CreateGrant or the policy version's records. */
  eventIds: string[];
}

export interface CallAttribution {
  /** The most specific candidate's type (grant, then a statement naming the caller, then IAM delegation). */
  basis: AttributionBasis;
  /**
   * true when no candidate holds outright (an undecided condition, a principal only partly matched, or a Deny
   * that may reach the caller).
   */
  conditional: boolean;
  candidates: AttributionCandidate[];
  noneReason: NoneReason | null;
  /** Denies that reach the caller: the one that refused it (denied-by-policy), or ones that may apply. */
  denies?: DenyNote[];
  /** The key state refused the action at the call's instant (noneReason key-state unless within the delay). */
  keyState?: StateRefusal;
  /**
   * The policy version in force refuses the call (no route, or a Deny), but a version it replaced less than
   * KMS's propagation delay earlier allowed it: the answer is that earlier version's.
   */
  policyChangePropagating?: true;
}

/** What attribution needs to know about one successful call. */
export interface CallFacts {
  time: number;
  key: string;
  operation: string;
  side: ReEncryptSide;
  principal: string;
  /** The assumed-role session name, if any: a grant to one session serves that session only */
  sessionName: string | null;
  invokedBy: string | null;
  sourceIp: string | null;
  region: string;
  /** The logged encryption context as JSON, null when the request carried none, undefined when not logged. */
  encryptionContext: string | null | undefined;
}

/**
 * The facts of the call in row `row` of the usage store, on `key` (its source or, for ReEncrypt, its
 * destination). usage's tally reads the same columns as interned ids instead, on its per-call hot path.
 */
export function callFactsOf(usage: UsageStore, row: number, key: string, side: ReEncryptSide): CallFacts {
  return {
    time: usage.timeAt(row),
    key,
    operation: usage.field(row, "operation") ?? "",
    side,
    principal: usage.field(row, "principal") ?? "",
    sessionName: usage.field(row, "sessionName"),
    invokedBy: usage.field(row, "invokedBy"),
    sourceIp: usage.field(row, "sourceIp"),
    region: usage.field(row, "region") ?? "",
    encryptionContext: usage.field(row, "encryptionContext"),
  };
}

const PRECEDENCE: AttributionBasis[] = ["grant", "keyPolicy", "iamDelegation"];
const SERVICE_HOST = /^([a-z0-9-]+)\.amazonaws\.com$/;

/**
 * kms:ViaService names a regional endpoint (`s3.us-east-1.amazonaws.com`); CloudTrail gives the service as
 * `invokedBy`, or only as the source "IP" for some services. A direct call has none (known absent);
 * "AWS Internal" and other shapes stay unknown.
 */
export function viaServiceOf(
  invokedBy: string | null,
  sourceIp: string | null,
  region: string,
): string | null | undefined {
  const host = serviceHostOf(invokedBy, sourceIp);
  return host === null ? null : serviceEndpointOf(host, region);
}

function serviceHostOf(invokedBy: string | null, sourceIp: string | null): string | null {
  return invokedBy ?? (sourceIp?.endsWith(".amazonaws.com") ? sourceIp : null);
}

function serviceEndpointOf(host: string, region: string): string | undefined {
  const service = SERVICE_HOST.exec(host)?.[1];
  return service ? `${service}.${region}.amazonaws.com` : undefined;
}

/**
 * The case file is outside data: a context that does not read as string pairs is treated as not logged.
 * A hand-written check rather than zod: it runs once per call, and only says yes or no.
 */
function parseContext(json: string | null | undefined): Record<string, string> | null | undefined {
  if (json === null || json === undefined) return json;
  try {
    const parsed: unknown = JSON.parse(json);
    return isStringPairs(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isStringPairs(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((entry) => typeof entry === "string");
}

/** What a newer policy version may say of a call that the version it replaced allowed. */
const POLICY_REFUSALS: ReadonlySet<NoneReason | null> = new Set(["no-route", "denied-by-policy"]);

/**
 * The policy versions replaced less than the propagation delay before t, newest first: KMS may still have
 * been applying any of them. A version replaced in the second it was put (same-second PutKeyPolicy calls,
 * whose order CloudTrail does not keep) counts too.
 */
function replacedPolicies(key: KeyRecord, t: number): PolicyAt[] {
  const ended = (version: PolicyVersion) => version.to ?? Number.POSITIVE_INFINITY;
  return key.policies
    .filter((version) => ended(version) <= t && t < ended(version) + PROPAGATION_MS)
    .sort((a, b) => ended(b) - ended(a) || b.from - a.from || b.version - a.version)
    .map(policyOf);
}

/** Grants that may be in force at t: active ones, and ones ended less than the propagation delay ago. */
function grantsNear(grants: readonly GrantRecord[], t: number): GrantRecord[] {
  return grants.filter((grant) => grant.from <= t && (grant.to === null || t < grant.to + PROPAGATION_MS));
}

/** What the record tells about the network side of a call (recordNetworkFacts). */
type NetworkFacts = Pick<KmsRequestFacts, "sourceIp" | "viaAwsService">;

/** A call a service made, or without an address: the record decides nothing of its network side. */
const NOT_DIRECT: NetworkFacts = Object.freeze({});

/** The request facts an answer can turn on besides the caller, the operation and the encryption context. */
interface RequestFacts {
  /** kms:ViaService (see viaServiceOf) */
  viaService: string | null | undefined;
  /** aws:SourceIp and aws:ViaAWSService, when the record decides them */
  network: NetworkFacts;
  /** The part of `network` the epoch's policy can tell apart (see networkSlot) */
  networkSlot: string;
}

/** The replayed state a call is judged against; it changes only at a key's policy and grant boundaries. */
interface Epoch {
  /** The instants [from, to) it holds for, between two boundaries */
  from: number;
  to: number;
  policy: PolicyAt;
  grants: GrantRecord[];
  /** The policy has a kms:EncryptionContext* condition: any part of a context may change an answer. */
  contextConditioned: boolean;
  /** The policy has an aws:SourceIp condition: the caller's address may change an answer. */
  ipConditioned: boolean;
  /** The policy has an aws:PrincipalArn or aws:PrincipalType condition: the caller itself may change an answer. */
  principalConditioned: boolean;
  /**
   * Roles a grant or policy statement of the epoch serves one session of: only their callers' session names
   * matter.
   */
  sessionRoles: ReadonlySet<string>;
  /** principal -> operation (and side; and the session name where it matters) -> that caller's memo */
  memo: Map<string, Map<string, CallShape>>;
  /**
   * The key policy and grants' answer per call shape, whoever the caller (see `authorization`); shared with
   * the other epochs under the same policy and grants
   */
  authorizations: Map<string, OperationAnswer>;
  /** operation (and side) -> the grants whose decision on it turns on the context (see `contextGrants`) */
  contextGrants: Map<string, GrantRecord[]>;
  /** IAM action -> the key state's refusal of it (null: let through), constant over the epoch */
  refusals: Map<string, StateRefusal | null>;
  /**
   * The same instants under each policy version replaced less than the propagation delay before them, newest
   * first (replacedPolicies); empty when none was.
   */
  replaced: Epoch[];
}

/** The answers for one caller and operation (and side) in an epoch. */
interface CallShape {
  /** How much of a call's encryption context its answer can turn on (see ContextView) */
  view: ContextView;
  /** encryption context JSON -> its slot under a constrained view (parsing costs, and contexts repeat) */
  slots: Map<string | null, string>;
  /** kms:ViaService and network slot (requestSlot) -> context slot -> answer */
  answers: Map<string, Map<string, CallAttribution>>;
}

const NONE_KEY = "\u0000";
const ANY_CONTEXT_KEY = "\u0000any";
const NULL_KEY = "\u0000null";
const UNDEFINED_KEY = "\u0000undefined";
const DIRECT_KEY = "\u0000direct";
const slotKey = (value: string | null | undefined) =>
  value === null ? NULL_KEY : value === undefined ? UNDEFINED_KEY : value;

/**
 * One memo key for kms:ViaService and the network slot. Only a direct call with an address has a network slot
 * (recordNetworkFacts), and a direct call has no kms:ViaService (null), so the slot alone tells it apart.
 */
function requestSlot(viaService: string | null | undefined, network: string): string {
  return network === UNDEFINED_KEY ? slotKey(viaService) : network;
}

/**
 * aws:ViaAWSService is known for a direct call and unknown otherwise; aws:SourceIp differs with nearly every
 * client, so the memo keys on the address only when the policy has a condition that reads it.
 */
function networkSlot(network: NetworkFacts, ipConditioned: boolean): string {
  if (network.viaAwsService === undefined) return UNDEFINED_KEY;
  return ipConditioned && network.sourceIp ? network.sourceIp : DIRECT_KEY;
}

/**
 * Roles that a grant or a key policy statement (Principal or NotPrincipal) names one assumed-role session of
 * (kept whole, see normalizeGrantee): only for their callers can the session name change an answer.
 */
function sessionRolesOf(
  grants: readonly GrantRecord[],
  policy: PolicyAt,
  entryOf: (grantee: Principal) => Principal,
): Set<string> {
  const named = [
    ...grants.flatMap(({ grantee }) => (grantee ? [entryOf(grantee).id] : [])),
    ...(policy.policy?.statements ?? []).flatMap(({ principals }) =>
      principals.entries.map((entry) => entry.principal.id),
    ),
  ];
  return new Set(named.flatMap((id) => roleSessionOf(id)?.role ?? []));
}

/**
 * The encryption context reaches an answer only through condition keys named kms:EncryptionContext* and
 * through grant constraints. Most calls carry a context of their own, so the memo keys on the least of it
 * that can change the answer: all of it ("whole") when the policy has such a condition, else which of the
 * constrained grants that can decide this caller's call the context satisfies (none: any context will do).
 */
type ContextView = "whole" | readonly GrantRecord[];

const CONTEXT_CONDITION_PREFIX = "kms:encryptioncontext";
const SOURCE_IP_CONDITION = "aws:sourceip";
const PRINCIPAL_CONDITIONS = ["aws:principalarn", "aws:principaltype"];

/** Whether a statement of the policy has a condition on a key starting with `prefix` (lower case). */
function conditionedOn(policy: PolicyAt, prefix: string): boolean {
  return (policy.policy?.statements ?? []).some((statement) =>
    Object.values(statement.conditions).some((entries) =>
      Object.keys(entries).some((key) => key.toLowerCase().startsWith(prefix)),
    ),
  );
}

/**
 * A grant whose decision on this call turns on the encryption context: grantAllows without one is unsure.
 * A grant without a grantee makes no route at all.
 */
function contextDecides(grant: GrantRecord, call: CallFacts): boolean {
  // A grant whose operations were not logged is unsure whatever the context: the context decides nothing.
  return (
    grant.grantee !== null &&
    grant.operationsKnown !== false &&
    grantAllows(grant, call.operation, { side: call.side }).allowed === "unknown"
  );
}

/** The epoch's grants for which contextDecides holds on the call's operation and side, found once per epoch. */
function contextGrants(epoch: Epoch, call: CallFacts): GrantRecord[] {
  const id = `${call.operation}${NONE_KEY}${call.side}`;
  let grants = epoch.contextGrants.get(id);
  if (grants === undefined) {
    grants = epoch.grants.filter((grant) => contextDecides(grant, call));
    epoch.contextGrants.set(id, grants);
  }
  return grants;
}

function contextSlot(shape: CallShape, call: CallFacts): string {
  const { view } = shape;
  if (view === "whole") return slotKey(call.encryptionContext);
  if (view.length === 0) return ANY_CONTEXT_KEY;
  // The destination side of ReEncrypt is judged without the context, and an unlogged one cannot be read.
  if (call.side === "destination" || call.encryptionContext === undefined) return UNDEFINED_KEY;
  let slot = shape.slots.get(call.encryptionContext);
  if (slot === undefined) {
    slot = constrainedSlot(view, parseContext(call.encryptionContext));
    shape.slots.set(call.encryptionContext, slot);
  }
  return slot;
}

/** Which constrained grants a context satisfies, as one character each. */
function constrainedSlot(
  constrained: readonly GrantRecord[],
  context: Record<string, string> | null | undefined,
): string {
  if (context === undefined) return UNDEFINED_KEY;
  return constrained
    .map(({ constraints }) => (constraints !== null && constraintsHold(constraints, context) ? "1" : "0"))
    .join("");
}

/**
 * Instants at which a key's policy, candidate grants or state verdict change, sorted, so a call finds its epoch
 * by search. A policy version, a grant's end and a state change count twice: when they happen and when their
 * propagation delay ends (stateRefusal, replacedPolicies).
 */
function boundariesOf(key: KeyRecord, grants: readonly GrantRecord[], changes: readonly number[]): number[] {
  const times = new Set<number>();
  for (const version of key.policies) {
    times.add(version.from);
    if (version.to !== null) times.add(version.to).add(version.to + PROPAGATION_MS);
  }
  for (const grant of grants) {
    times.add(grant.from);
    if (grant.to !== null) times.add(grant.to).add(grant.to + PROPAGATION_MS);
  }
  for (const change of changes) times.add(change).add(change + PROPAGATION_MS);
  return [...times].sort((a, b) => a - b);
}

interface KeyEpochs {
  key: KeyRecord;
  grants: readonly GrantRecord[];
  /** stateChanges(key) */
  changes: number[];
  boundaries: number[];
  epochs: Map<number, Epoch>;
  /** The epoch of the previous call: calls come in time order, so most fall in it without a search. */
  last: Epoch | null;
}

interface Match {
  entry: PrincipalAuthorization;
  extent: "all" | "partial";
}

/**
 * Links successful calls to the grants and key-policy statements that could have authorized them, from the
 * replayed state at the call's instant (docs/attribution.md). Answers depend on the model alone, so one
 * Attributor serves every question on a model (see attributorOf): policies are parsed once per version
 * (policyAt), and identical calls in the same epoch are answered from a memo.
 */
export class Attributor {
  private readonly principalOf: (id: string) => Principal;
  private readonly keys = new Map<string, KeyEpochs | null>();
  /** service host -> region -> kms:ViaService: few of each, and one string per answer for the memo to hash */
  private readonly endpoints = new Map<string, Map<string, string | undefined>>();
  /** source address of a direct call -> what it tells (classifying an address costs, and addresses repeat) */
  private readonly networks = new Map<string, NetworkFacts>();
  /**
   * Key policy -> grant set -> authorization answers (see `authorization`): they turn on the policy and the
   * grants alone, so epochs that differ only in key state or a propagation delay share them.
   */
  private readonly authorizations = new Map<PolicyAt["policy"], Map<string, Map<string, OperationAnswer>>>();
  /** A number per grant record, to name a grant set */
  private readonly grantNumbers = new Map<GrantRecord, number>();

  constructor(private readonly model: CaseModel) {
    this.principalOf = principalLookup(model);
  }

  attribute(call: CallFacts): CallAttribution {
    const state = this.keyEpochs(call.key);
    if (!state) return none("key-unknown");
    const epoch = this.epochAt(state, call.time);
    // Runs once per call (millions): the request facts become an object only when the memo has no answer.
    const viaService = this.viaService(call);
    const network = this.network(call);
    const slot = networkSlot(network, epoch.ipConditioned);
    const shape = this.shapeOf(epoch, call);
    const answers = childMap(shape.answers, requestSlot(viaService, slot));
    const context = contextSlot(shape, call);
    let answer = answers.get(context);
    if (!answer) {
      answer = this.judge(state, epoch, call, { viaService, network, networkSlot: slot });
      answers.set(context, answer);
    }
    return answer;
  }

  /**
   * The key state first: a call it refuses is unexplained whatever the policy says, unless the refusing state
   * began within the propagation delay, when the call is judged as usual and marked.
   */
  private judge(state: KeyEpochs, epoch: Epoch, call: CallFacts, request: RequestFacts): CallAttribution {
    const refusal = this.refusal(state, epoch, call);
    if (refusal === null) return this.evaluate(state.key, call, epoch, request);
    if (!refusal.withinPropagationDelay) return { ...none("key-state"), keyState: refusal };
    return { ...this.evaluate(state.key, call, epoch, request), keyState: refusal };
  }

  /** The key state's verdict on the call's action, the same for every call of the epoch (see boundariesOf). */
  private refusal(state: KeyEpochs, epoch: Epoch, call: CallFacts): StateRefusal | null {
    const action = kmsActionFor(call.operation, call.side) ?? call.operation;
    let refusal = epoch.refusals.get(action);
    if (refusal === undefined) {
      refusal = stateRefusal(this.model, state.key, call.time, action, state.changes);
      epoch.refusals.set(action, refusal);
    }
    return refusal;
  }

  /**
   * The memo of the call's caller and operation, from interned strings: lookups only, no key to build. The
   * caller is the principal and, only where a grant or policy statement serves one session of its role, its
   * session name. The service that called for it (invokedBy) is not part of the caller: a route naming that
   * service does not serve the calls it forwards (see `extent`); what invokedBy tells (kms:ViaService) keys the
   * answers below.
   */
  private shapeOf(epoch: Epoch, call: CallFacts): CallShape {
    const action = call.side === "destination" ? `${call.operation}${NONE_KEY}to` : call.operation;
    // A key is built only for a role some grant or statement names one session of; other callers share one memo.
    const operation = epoch.sessionRoles.has(call.principal)
      ? `${action}${NONE_KEY}${slotKey(call.sessionName)}`
      : action;
    const byOperation = childMap(epoch.memo, call.principal);
    let shape = byOperation.get(operation);
    if (!shape) {
      const view = epoch.contextConditioned ? "whole" : this.decidingGrants(epoch, call);
      shape = { view, slots: new Map(), answers: new Map() };
      byOperation.set(operation, shape);
    }
    return shape;
  }

  /**
   * The constrained grants whose decision the context can change and whose grantee can enter this caller's
   * answer (as a match, or as the caller removed by a Deny): only they make the context matter.
   */
  private decidingGrants(epoch: Epoch, call: CallFacts): GrantRecord[] {
    const caller = this.callerOf(call);
    return contextGrants(epoch, call).filter(
      ({ grantee }) => grantee !== null && this.extent(grantee.id, grantee.kind, caller) !== "none",
    );
  }

  /** The caller with its session name: a grant to one assumed-role session covers that session only. */
  private callerOf(call: CallFacts): CoverageTarget {
    return { ...this.principalOf(call.principal), sessionName: call.sessionName };
  }

  private network(call: CallFacts): NetworkFacts {
    // Only a direct call's address can tell anything; the rest is decided without a lookup.
    if (call.invokedBy !== null || call.sourceIp === null) return NOT_DIRECT;
    let facts = this.networks.get(call.sourceIp);
    if (!facts) {
      facts = recordNetworkFacts(null, call.sourceIp);
      this.networks.set(call.sourceIp, facts);
    }
    return facts;
  }

  private viaService(call: CallFacts): string | null | undefined {
    const host = serviceHostOf(call.invokedBy, call.sourceIp);
    if (host === null) return null;
    const byRegion = childMap(this.endpoints, host);
    if (!byRegion.has(call.region)) byRegion.set(call.region, serviceEndpointOf(host, call.region));
    return byRegion.get(call.region);
  }

  private keyEpochs(arn: string): KeyEpochs | null {
    let state = this.keys.get(arn);
    if (state === undefined) {
      const key = this.model.keysByArn.get(arn);
      const grants = this.model.grantsByKey.get(arn) ?? [];
      const changes = key ? stateChanges(key) : [];
      state = key
        ? {
            key,
            grants,
            changes,
            boundaries: boundariesOf(key, grants, changes),
            epochs: new Map(),
            last: null,
          }
        : null;
      this.keys.set(arn, state);
    }
    return state;
  }

  private epochAt(state: KeyEpochs, t: number): Epoch {
    if (state.last && state.last.from <= t && t < state.last.to) return state.last;
    const index = countAtOrBefore(state.boundaries, t);
    let epoch = state.epochs.get(index);
    if (!epoch) {
      const span = {
        from: state.boundaries[index - 1] ?? Number.NEGATIVE_INFINITY,
        to: state.boundaries[index] ?? Number.POSITIVE_INFINITY,
      };
      const grants = grantsNear(state.grants, t);
      epoch = this.newEpoch(span, policyAt(state.key, t), grants);
      epoch.replaced = replacedPolicies(state.key, t).map((policy) => this.newEpoch(span, policy, grants));
      // The memo must tell apart the calls any of the versions answers differently.
      for (const replaced of epoch.replaced) {
        epoch.contextConditioned ||= replaced.contextConditioned;
        epoch.ipConditioned ||= replaced.ipConditioned;
        epoch.sessionRoles = new Set([...epoch.sessionRoles, ...replaced.sessionRoles]);
      }
      state.epochs.set(index, epoch);
    }
    state.last = epoch;
    return epoch;
  }

  private newEpoch(span: { from: number; to: number }, policy: PolicyAt, grants: GrantRecord[]): Epoch {
    return {
      ...span,
      policy,
      grants,
      contextConditioned: conditionedOn(policy, CONTEXT_CONDITION_PREFIX),
      ipConditioned: conditionedOn(policy, SOURCE_IP_CONDITION),
      principalConditioned: PRINCIPAL_CONDITIONS.some((key) => conditionedOn(policy, key)),
      sessionRoles: sessionRolesOf(grants, policy, ({ id, kind }) => this.entryOf(id, kind)),
      memo: new Map(),
      authorizations: this.authorizationsOf(policy, grants),
      contextGrants: new Map(),
      refusals: new Map(),
      replaced: [],
    };
  }
  private authorizationsOf(policy: PolicyAt, grants: readonly GrantRecord[]): Map<string, OperationAnswer> {
    const numbers = grants.map((grant) => {
      let number = this.grantNumbers.get(grant);
      if (number === undefined) {
        number = this.grantNumbers.size;
        this.grantNumbers.set(grant, number);
      }
      return number;
    });
    return childMap(childMap(this.authorizations, policy.policy), numbers.join(","));
  }

  /**
   * The call judged under the policy version in force; when that version refuses it, under the versions
   * replaced less than the propagation delay before, newest first, which KMS may still have been applying.
   */
  private evaluate(key: KeyRecord, call: CallFacts, epoch: Epoch, request: RequestFacts): CallAttribution {
    const answer = this.evaluateUnder(key, call, epoch, request);
    if (!POLICY_REFUSALS.has(answer.noneReason)) return answer;
    for (const replaced of epoch.replaced) {
      const before = this.evaluateUnder(key, call, replaced, request);
      if (before.noneReason !== null) continue;
      return {
        ...before,
        candidates: before.candidates.map((candidate) =>
          candidate.type === "grant" ? candidate : { ...candidate, withinPropagationDelay: true as const },
        ),
        policyChangePropagating: true,
      };
    }
    return answer;
  }

  private evaluateUnder(
    key: KeyRecord,
    call: CallFacts,
    epoch: Epoch,
    request: RequestFacts,
  ): CallAttribution {
    const caller = this.callerOf(call);
    const { policy } = epoch;
    const answer = authorization(key, call, epoch, request, caller);
    const matches = answer.principals.flatMap((entry) => this.match(entry, caller));
    // An explicit Deny overrides every Allow and grant, also one who-can kept only beside a delegated account.
    const denies = callerDenies(
      policy.policy,
      matches.map(({ entry }) => entry),
      answer.removed,
      caller,
    );
    if (denies.outright.length > 0) return { ...none("denied-by-policy"), denies: denies.outright };
    const candidates = matches.flatMap(({ entry }) =>
      routesOf(entry, caller).map((via) => candidateOf(via, epoch, call.time)),
    );
    if (candidates.length === 0) {
      if (policy.problem) return none("policy-unreadable");
      return none(policy.version ? "no-route" : "policy-unknown");
    }
    const basis = PRECEDENCE.find((type) => candidates.some((c) => c.type === type)) ?? "none";
    // A route KMS limits to the key's account (onlyAccount) holds outright only for a caller known to be in it,
    // and then the evaluator, which knows the caller's account, does not limit it.
    const outright = matches.some(
      ({ entry, extent }) => extent === "all" && routesOf(entry, caller).some(routeHoldsOutright),
    );
    const possible = denies.possible.length > 0 ? { denies: denies.possible } : {};
    return {
      basis,
      conditional: !outright || denies.possible.length > 0,
      candidates,
      noneReason: null,
      ...possible,
    };
  }

  private match(entry: PrincipalAuthorization, caller: CoverageTarget): Match[] {
    const extent = this.extent(entry.principal, entry.kind, caller);
    return extent === "none" ? [] : [{ entry, extent }];
  }

  /**
   * How much of the caller an authorization entry (or grantee) for `principal` covers. A route naming a
   * service covers the calls that service made as itself (CloudTrail's AWSService caller, normalized to the
   * service), never a call it forwarded for a role or user (invokedBy): KMS authorizes such a call on the
   * caller's own permissions (forward access sessions), which its own routes give, conditional on
   * kms:ViaService where they say so.
   */
  private extent(principal: string, kind: Principal["kind"], caller: CoverageTarget): Coverage["extent"] {
    return entryCovers(this.entryOf(principal, kind), caller).extent;
  }

  /**
   * The principal an entry names: its id as written (a grantee's session ARN must not become its role), with
   * the account looked up; an id of kind unknown as principalLookup resolves it (a session named the old way).
   */
  private entryOf(principal: string, kind: Principal["kind"]): Principal {
    if (kind === "account") return { id: principal, kind, account: principal };
    const known = this.principalOf(principal);
    return kind === "unknown" ? known : { id: principal, kind, account: known.account };
  }
}

/**
 * What the key policy and grants allow for a call shape, whoever the caller: the request context holds the
 * caller's account and what the record tells of the network (aws:SourceIp, aws:ViaAWSService), so the
 * principals of one account share one evaluation per epoch. Only under a policy with an aws:PrincipalArn or
 * aws:PrincipalType condition does it hold the caller's ARN and type too (principalIdentityFacts), and the
 * evaluation is the caller's own.
 */
function authorization(
  key: KeyRecord,
  call: CallFacts,
  epoch: Epoch,
  request: RequestFacts,
  caller: Principal,
): OperationAnswer {
  const { account } = caller;
  const encryptionContext = call.side === "destination" ? undefined : parseContext(call.encryptionContext);
  // The context as the policy and every grant see it: the callers' own views may leave grants out.
  const context = epoch.contextConditioned
    ? slotKey(call.encryptionContext)
    : constrainedSlot(contextGrants(epoch, call), encryptionContext);
  const { viaService, network, networkSlot } = request;
  const who = epoch.principalConditioned ? caller.id : (account ?? "");
  const id = [call.operation, call.side, slotKey(viaService), networkSlot, who, context].join(NONE_KEY);
  let answer = epoch.authorizations.get(id);
  if (!answer) {
    const facts: KmsRequestFacts = {
      ...(encryptionContext === undefined ? {} : { encryptionContext }),
      ...(viaService === undefined ? {} : { viaService }),
      ...network,
      ...(account ? { callerAccount: account, principalAccount: account } : {}),
      ...(epoch.principalConditioned ? principalIdentityFacts(caller) : {}),
    };
    answer = authorizeOperation(epoch.policy.policy, epoch.grants, call.operation, {
      context: kmsRequestContext(facts),
      side: call.side,
      keyArn: key.arn,
    });
    epoch.authorizations.set(id, answer);
  }
  return answer;
}

function candidateOf(via: Via, epoch: Epoch, t: number): AttributionCandidate {
  if (via.type === "grant") {
    const grant = epoch.grants.find((g) => g.grantId === via.grantId);
    const late = grant !== undefined && grant.to !== null && t >= grant.to;
    return {
      ...via,
      ...(late ? { withinPropagationDelay: true as const } : {}),
      eventIds: grant?.openedBy ?? [],
    };
  }
  const { version } = epoch.policy;
  return { ...via, policyVersion: version?.version ?? 0, eventIds: version?.openedBy ?? [] };
}

/**
 * The entry's routes that do not exclude the caller (an Allow with NotPrincipal lists whom it leaves out: the
 * caller itself, or the one session of its role it is).
 */
function routesOf(entry: PrincipalAuthorization, caller: CoverageTarget): Via[] {
  const session = caller.sessionName ? sessionArnOf(caller.id, caller.sessionName) : null;
  return entry.via.filter(
    (via) => !via.except?.some((excluded) => excluded === caller.id || excluded === session),
  );
}

const KEYED: ReadonlySet<string> = new Set(KEY_OPERATIONS);
// One object per answer: usage groups count calls per distinct answer object.
const KEYLESS = {
  noKey: none("no-key"),
  keyUnknown: none("key-unknown"),
};

/**
 * A successful call whose record names no key. An operation that acts on a key (Decrypt) then has an unknown
 * one; one that acts on none (ListKeys, GenerateRandom) is decided by IAM alone, with no key policy to explain.
 */
export function keylessAttribution(operation: string): CallAttribution {
  const action = kmsActionFor(operation) ?? operation;
  return KEYED.has(action) ? KEYLESS.keyUnknown : KEYLESS.noKey;
}

function none(reason: NoneReason): CallAttribution {
  return { basis: "none", conditional: false, candidates: [], noneReason: reason };
}

/** A short label for a candidate: `grant 3aa45e1b…`, `policy v2 #1 "Sid"`, `IAM in 111122223333`. */
export function candidateLabel(candidate: AttributionCandidate): string {
  if (candidate.type === "grant") return `grant ${candidate.grantId ?? "?"}`;
  const statement = `policy v${candidate.policyVersion ?? "?"} #${candidate.statement ?? "?"}${candidate.sid ? ` "${candidate.sid}"` : ""}`;
  return candidate.type === "iamDelegation" ? `${statement} (IAM in ${candidate.account ?? "?"})` : statement;
}

const attributors = new WeakMap<CaseModel, Attributor>();

/** The model's Attributor: a report's findings and usage, or a session's questions, share one memo. */
export function attributorOf(model: CaseModel): Attributor {
  let attributor = attributors.get(model);
  if (!attributor) {
    attributor = new Attributor(model);
    attributors.set(model, attributor);
  }
  return attributor;
}
