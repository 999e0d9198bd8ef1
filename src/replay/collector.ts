import type { AliasRef, KmsEvent, NormalizedEvent } from "../events/index.js";
import {
  ACCOUNT_READ_OPERATIONS,
  CRYPTO_OPERATIONS,
  KEY_READ_OPERATIONS,
  normalizePrincipal,
} from "../events/index.js";
import { UsageStore } from "../model/index.js";

/**
 * First half of replay: takes normalized events in any order (files are read in any order, re-delivered,
 * and cross-account actions are logged twice) and keeps each action once. Usage events go straight to the
 * columnar store; management events are kept for the ordered state machine. Nothing here depends on order.
 */

const USAGE_NAMES: ReadonlySet<string> = new Set<string>([
  ...CRYPTO_OPERATIONS,
  ...KEY_READ_OPERATIONS,
  ...ACCOUNT_READ_OPERATIONS,
]);

export type UsageEvent = Extract<KmsEvent, { name: (typeof CRYPTO_OPERATIONS)[number] }>;

export function isUsageEvent(event: NormalizedEvent): boolean {
  return event.source === "kms" && USAGE_NAMES.has(event.name);
}

export interface AliasObservation {
  alias: AliasRef;
  keyArn: string;
  time: number;
  eventId: string;
}

export interface PendingAliasResolution {
  row: number;
  alias: AliasRef;
  destination: boolean;
}

export interface Collected {
  management: NormalizedEvent[];
  /** management event index -> other eventIds of the same action */
  managementAlso: Map<number, string[]>;
  usage: UsageStore;
  pendingAliases: PendingAliasResolution[];
  aliasObservations: AliasObservation[];
  /** unique id (AROA…, AIDA…) -> normalized principal id */
  principalIds: Map<string, string>;
  sessionNames: Map<string, Set<string>>;
  duplicates: number;
  sharedCopiesMerged: number;
  counts: { kms: number; trail: number; sts: number; failed: number };
}

export class Collector {
  private readonly seen = new Set<string>();
  private readonly shared = new Map<string, { usageRow: number } | { managementIndex: number }>();
  readonly collected: Collected = {
    management: [],
    managementAlso: new Map(),
    usage: new UsageStore(),
    pendingAliases: [],
    aliasObservations: [],
    principalIds: new Map(),
    sessionNames: new Map(),
    duplicates: 0,
    sharedCopiesMerged: 0,
    counts: { kms: 0, trail: 0, sts: 0, failed: 0 },
  };

  add(event: NormalizedEvent): void {
    if (this.seen.has(event.eventId)) {
      this.collected.duplicates++;
      return;
    }
    this.seen.add(event.eventId);
    this.notePrincipal(event);
    if (event.source === "sts") {
      this.collected.counts.sts++;
      this.noteAssumeRole(event);
      return;
    }
    this.collected.counts[event.source === "kms" ? "kms" : "trail"]++;
    if (event.error) this.collected.counts.failed++;
    if (event.source === "kms") this.noteAliasObservation(event);
    if (event.sharedEventId && this.mergeSharedCopy(event.sharedEventId, event)) return;
    const slot = isUsageEvent(event)
      ? { usageRow: this.addUsage(event as KmsEvent) }
      : { managementIndex: this.addManagement(event) };
    if (event.sharedEventId) this.shared.set(event.sharedEventId, slot);
  }

  /**
   * The second copy of a cross-account action joins the first. Copies can arrive in any order (parallel
   * reads), so the primary copy is always the one with the smallest eventID, and the others are provenance.
   */
  private mergeSharedCopy(sharedEventId: string, event: NormalizedEvent): boolean {
    const slot = this.shared.get(sharedEventId);
    if (!slot) return false;
    this.collected.sharedCopiesMerged++;
    if ("usageRow" in slot) {
      const usage = this.collected.usage;
      const primary = usage.field(slot.usageRow, "eventId") ?? "";
      if (event.eventId < primary) {
        usage.setField(slot.usageRow, "eventId", event.eventId);
        usage.setField(slot.usageRow, "account", event.account);
        usage.addAlsoEventId(slot.usageRow, primary);
      } else {
        usage.addAlsoEventId(slot.usageRow, event.eventId);
      }
      return true;
    }
    const existing = this.collected.management[slot.managementIndex];
    if (!existing) return false;
    const also = this.collected.managementAlso.get(slot.managementIndex) ?? [];
    if (event.eventId < existing.eventId) {
      this.collected.management[slot.managementIndex] = event;
      also.push(existing.eventId);
    } else {
      also.push(event.eventId);
    }
    this.collected.managementAlso.set(slot.managementIndex, also.sort());
    return true;
  }

  private addManagement(event: NormalizedEvent): number {
    this.collected.management.push(event);
    return this.collected.management.length - 1;
  }

  private addUsage(event: KmsEvent): number {
    const key = "key" in event ? event.key : null;
    const destination = "destinationKey" in event ? event.destinationKey : null;
    const context = "encryptionContext" in event ? event.encryptionContext : null;
    const row = this.collected.usage.append({
      time: event.time,
      eventId: event.eventId,
      alsoEventIds: [],
      operation: event.name,
      key: key?.arn ?? null,
      keyRef: key && key.raw !== key.arn ? key.raw : null,
      destinationKey: destination?.arn ?? null,
      principal: event.actor.id,
      sessionName: event.actor.sessionName,
      invokedBy: event.invokedBy,
      errorCode: event.error?.code ?? null,
      account: event.account,
      region: event.region,
      sourceIp: event.sourceIp,
      encryptionContext: context ? JSON.stringify(context) : null,
    });
    if (key && !key.arn && key.alias)
      this.collected.pendingAliases.push({ row, alias: key.alias, destination: false });
    if (destination && !destination.arn && destination.alias) {
      this.collected.pendingAliases.push({ row, alias: destination.alias, destination: true });
    }
    return row;
  }

  private noteAliasObservation(event: KmsEvent): void {
    if (event.name === "CreateAlias" || event.name === "UpdateAlias" || event.name === "DeleteAlias") return;
    const key = event.key;
    if (key?.alias && key.arn) {
      this.collected.aliasObservations.push({
        alias: key.alias,
        keyArn: key.arn,
        time: event.time,
        eventId: event.eventId,
      });
    }
  }

  private notePrincipal(event: NormalizedEvent): void {
    const { actor } = event;
    if ((actor.kind === "role" || actor.kind === "user") && actor.principalId) {
      this.collected.principalIds.set(uniqueIdOf(actor.principalId), actor.id);
    }
    if (actor.kind === "role" && actor.sessionName) this.addSessionName(actor.id, actor.sessionName);
  }

  private noteAssumeRole(event: Extract<NormalizedEvent, { source: "sts" }>): void {
    if (event.error || !event.roleArn) return;
    const roleId = normalizePrincipal(event.roleArn).id;
    if (event.assumedRoleId) this.collected.principalIds.set(uniqueIdOf(event.assumedRoleId), roleId);
    if (event.roleSessionName) this.addSessionName(roleId, event.roleSessionName);
  }

  private addSessionName(principal: string, sessionName: string): void {
    const names = this.collected.sessionNames.get(principal) ?? new Set<string>();
    names.add(sessionName);
    this.collected.sessionNames.set(principal, names);
  }
}

/** "AROAEXAMPLE:session" -> "AROAEXAMPLE" */
function uniqueIdOf(principalId: string): string {
  const colon = principalId.indexOf(":");
  return colon < 0 ? principalId : principalId.slice(0, colon);
}
