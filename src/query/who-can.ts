import type { PrincipalKind } from "../events/index.js";
import type { CaseModel, Confidence, KeyState } from "../model/index.js";
import {
  type DenyNote,
  KMS_ACTIONS,
  type RemovedPrincipal,
  type RequestContext,
  resolveAction,
} from "../policy/index.js";
import { closestNames } from "./closest-names.js";
import { gapCaveats } from "./gaps.js";
import { authorizeKey, type KeyAuthorization, viaEventIds } from "./key-authorization.js";
import { keyStateCaveats, multiRegionCaveats, unnamedGrantEndCaveats } from "./key-caveats.js";
import { blockingState, KEY_OPERATIONS } from "./key-operations.js";
import { customKeyStoreCaveats } from "./key-store-caveats.js";
import { mergeVia, type WhoCanVia } from "./merge-via.js";
import { type RefusedAcrossAccounts, refusedCaveats, refusedOf } from "./refused-across-accounts.js";
import { iso, resolveKey } from "./resolve-key.js";
import { outsideIdentityCaveats, routeCaveats } from "./route-caveats.js";

export interface WhoCanPrincipal {
  /** Normalized ARN, the account id for iamDelegation, the service name, or "*" */
  principal: string;
  kind: PrincipalKind;
  operations: string[];
  via: WhoCanVia[];
  /** false only when some operation holds outright (no undecided condition, no Deny that may apply) */
  conditional: boolean;
  /** The listed operations that hold only under conditions */
  conditionalOperations: string[];
  /** Denies that may still apply (conditional, or reaching only part of the principal) */
  denies: DenyNote[];
}

/** `who-can <key> --at T --format json` (DESIGN §8). Stable: fields may be added, never renamed. */
export interface WhoCanReport {
  key: {
    arn: string;
    keyId: string;
    account: string;
    region: string;
    aliases: string[];
    state: KeyState;
    stateKnown: boolean;
    stateConfidence: Confidence;
    /** Start of the state's interval (null when unknown or not created) */
    stateSince: string | null;
    /** The records that set the state (a DisconnectCustomKeyStore for a key Unavailable in its store) */
    stateEventIds: string[];
  };
  at: string;
  /** The IAM action asked (`ReEncrypt` is asked as `ReEncryptFrom`), or "*" for every key operation */
  operation: string;
  /** For "*": whether cryptographic operations are possible */
  usable: boolean;
  blockedBy: KeyState | null;
  /** Operations asked that the key state refuses at T (management ones survive Disabled) */
  blockedOperations: string[];
  policy: { version: number; confidence: Confidence; eventIds: string[] } | null;
  grantIds: string[];
  principals: WhoCanPrincipal[];
  /** Principals an unconditional Deny took away, per operation */
  removed: (RemovedPrincipal & { operations: string[] })[];
  /**
   * Principals of other accounts than the key's that a statement allows operations KMS does not allow across
   * accounts (docs/authorization.md, "Cross-account use"): not listed for them
   */
  refusedAcrossAccounts: RefusedAcrossAccounts[];
  caveats: string[];
}

export interface WhoCanQuestion {
  /** An operation or IAM action (`Decrypt`, `kms:Decrypt`; `ReEncrypt` means ReEncryptFrom); all when absent */
  operation?: string;
  context?: RequestContext;
}

interface PrincipalDraft {
  entry: WhoCanPrincipal;
  routes: Map<string, WhoCanVia>;
}

function draftFor(drafts: Map<string, PrincipalDraft>, principal: string, kind: PrincipalKind) {
  const existing = drafts.get(principal);
  if (existing) return existing;
  const draft: PrincipalDraft = {
    entry: {
      principal,
      kind,
      operations: [],
      via: [],
      conditional: true,
      conditionalOperations: [],
      denies: [],
    },
    routes: new Map(),
  };
  drafts.set(principal, draft);
  return draft;
}

/** One line per principal over every operation asked, routes merged, escalation paths added. */
function principalsOf(authorization: KeyAuthorization): WhoCanPrincipal[] {
  const drafts = new Map<string, PrincipalDraft>();
  for (const answer of authorization.answers) {
    for (const found of answer.principals) {
      const { entry, routes } = draftFor(drafts, found.principal, found.kind);
      entry.operations.push(answer.action);
      if (found.conditional) entry.conditionalOperations.push(answer.action);
      for (const deny of found.denies) {
        if (!entry.denies.some((known) => known.statement === deny.statement)) entry.denies.push(deny);
      }
      for (const via of found.via) mergeVia(routes, via, answer.action, viaEventIds(via, authorization));
    }
  }
  for (const path of authorization.escalation) {
    const { routes } = draftFor(drafts, path.principal, path.kind);
    for (const via of path.via) mergeVia(routes, via, via.action ?? "", viaEventIds(via, authorization));
  }
  return [...drafts.values()]
    .map(({ entry, routes }) => ({
      ...entry,
      via: [...routes.values()],
      conditional:
        entry.operations.length > 0
          ? entry.conditionalOperations.length === entry.operations.length
          : (authorization.escalation.find((path) => path.principal === entry.principal)?.conditional ??
            true),
    }))
    .sort((a, b) => a.principal.localeCompare(b.principal));
}

function removedOf(authorization: KeyAuthorization): WhoCanReport["removed"] {
  const byPrincipal = new Map<string, WhoCanReport["removed"][number]>();
  for (const answer of authorization.answers) {
    for (const removed of answer.removed) {
      const entry = byPrincipal.get(removed.principal) ?? { ...removed, operations: [] };
      entry.operations.push(answer.action);
      byPrincipal.set(removed.principal, entry);
    }
  }
  return [...byPrincipal.values()];
}

/** Why the answer may be incomplete, in the words an investigator needs (DESIGN §4, §5). */
export function authorizationCaveats(model: CaseModel, authorization: KeyAuthorization): string[] {
  const { key, t, state, policy } = authorization;
  const caveats: string[] = [];
  if (state.state === "Unknown")
    caveats.push(
      `the key's state at ${iso(t)} is not known from the trail: the answer assumes the key was usable`,
    );
  if (state.state === "NotCreated" && key.createdAt !== null)
    caveats.push(`the key did not exist yet: it was created at ${iso(key.createdAt)}`);
  if (!policy.version && state.state !== "NotCreated")
    caveats.push(
      "the key policy in force is unknown (no CreateKey or PutKeyPolicy before this time): the answer lists grants only, and whoever that policy allowed is missing",
    );
  if (policy.problem && policy.version)
    caveats.push(
      `policy version ${policy.version.version} does not parse (${policy.problem.reason}): the answer lists grants only`,
    );
  if (key.createdAt === null)
    caveats.push(
      `the trail holds no CreateKey for this key: grants made before it was first seen (${iso(key.firstSeen)}) are not known`,
    );
  caveats.push(
    ...keyStateCaveats(key, t, state.state, policy.version),
    ...customKeyStoreCaveats(model, key, t),
    ...unnamedGrantEndCaveats(model, key, t),
    ...multiRegionCaveats(model, key, t, authorization.multiRegionRole),
  );
  return [...caveats, ...gapCaveats(model, key.account, key.region, t)];
}

/**
 * What to say of an operation asked that is no KMS action (null for one that is): a typo (`Decrpyt`) still
 * gets an answer, from the statements whose wildcards match any name, which must not pass for the answer
 * about the action meant.
 */
export function unknownOperationNote(operation: string | undefined): string | null {
  if (operation === undefined) return null;
  const { action, known } = resolveAction(operation);
  if (known) return null;
  const near = closestNames(action, KMS_ACTIONS);
  const meant = near.length > 0 ? `; did you mean ${near.join(", ")}?` : "";
  return `"${action}" is not a KMS action AWS lists: only wildcard statements can match it${meant}`;
}

/** who-can (DESIGN §5, §8): every principal that could use the key at T, with the reasons and the state gate. */
export function whoCanAt(
  model: CaseModel,
  name: string,
  t: number,
  question: WhoCanQuestion = {},
): WhoCanReport {
  const key = resolveKey(model, name, t, "who-can");
  const asked = question.operation === undefined ? null : resolveAction(question.operation);
  const operations = asked ? [asked.action] : KEY_OPERATIONS;
  const authorization = authorizeKey(model, key, t, operations, question.context);
  const { state, policy } = authorization;
  const gateFor = asked?.action ?? "Decrypt";
  const blockedBy = blockingState(key, state.state, t, gateFor);
  const principals = principalsOf(authorization);
  const refusedAcrossAccounts = refusedOf(authorization);
  const caveats = [
    ...authorizationCaveats(model, authorization),
    ...routeCaveats(principals.flatMap((principal) => principal.via)),
    ...outsideIdentityCaveats(principals.map((entry) => ({ ...entry, keyAccount: key.account }))),
    ...refusedCaveats(refusedAcrossAccounts, key.account),
  ];
  const unknown = unknownOperationNote(question.operation);
  if (unknown) caveats.push(unknown);
  return {
    key: {
      arn: key.arn,
      keyId: key.keyId,
      account: key.account,
      region: key.region,
      aliases: model
        .aliasesAt(key.arn, t)
        .map((interval) => interval.alias.name)
        .sort(),
      state: state.state,
      stateKnown: state.known,
      stateConfidence: state.confidence,
      stateSince: state.since === null ? null : iso(state.since),
      stateEventIds: state.eventIds,
    },
    at: iso(t),
    operation: asked?.action ?? "*",
    usable: blockedBy === null,
    blockedBy,
    blockedOperations: operations.filter((operation) => blockingState(key, state.state, t, operation)),
    policy: policy.version
      ? {
          version: policy.version.version,
          confidence: policy.version.confidence,
          eventIds: policy.version.openedBy,
        }
      : null,
    grantIds: authorization.grants.map((grant) => grant.grantId),
    principals,
    removed: removedOf(authorization),
    refusedAcrossAccounts,
    caveats,
  };
}
