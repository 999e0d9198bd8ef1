import { beforeAll, describe, expect, it } from "vitest";
import { normalizePrincipal } from "../../src/events/index.js";
import type { KeyRecord } from "../../src/model/index.js";
import { findings, gapsReport, iso, keyAt, keyHistory, usage } from "../../src/query/index.js";
import {
  askedPrincipals,
  localReach,
  localWhoCan,
  neo4jReach,
  neo4jWhoCan,
  rows,
  sorted,
} from "./answer-parity.js";
import { type LoadedCase, loadCaseFrom, push, SCENARIOS } from "./graph-fixtures.js";
import { clearDatabase, neo4jUri } from "./helpers.js";

/**
 * Every question of queries/ asked of Neo4j and of the local engine on every fixture trail, with the same
 * answer. Each test states how the query's rows map to the local answer; conditions are compared as
 * reported, never evaluated.
 */
const HOUR = 3_600_000;
const SECOND = 1000;

/** Instants where a key's answers change, and one second before each. */
function instants(key: KeyRecord, loaded: LoadedCase): number[] {
  const changes = [
    ...key.states.map((state) => state.from),
    ...key.policies.map((version) => version.from),
    ...(loaded.model.grantsByKey.get(key.arn) ?? []).flatMap((grant) => [grant.from, grant.to ?? grant.from]),
    ...(loaded.model.aliasesByKey.get(key.arn) ?? []).map((alias) => alias.from),
    ...(key.createdAt === null ? [] : [key.createdAt]),
  ];
  return [...new Set(changes.flatMap((t) => [t - SECOND, t]))].sort((a, b) => a - b);
}

describe.skipIf(!neo4jUri())("queries/ on Neo4j answer as the local engine", () => {
  describe.each(SCENARIOS)("scenario $name", ({ dir }) => {
    let loaded: LoadedCase;
    beforeAll(async () => {
      await clearDatabase();
      loaded = await loadCaseFrom(dir);
      await push(loaded.rows);
    });

    it("key-state: state, stateKnown, aliases, active grantIds, policy version", async () => {
      for (const key of loaded.data.keys) {
        for (const t of instants(key, loaded)) {
          const local = keyAt(loaded.model, key.arn, t);
          const [row] = await rows("key-state", { key: key.arn, at: iso(t) });
          expect(row, `${key.arn} @ ${iso(t)}`).toEqual({
            key: key.arn,
            state: local.state,
            stateKnown: local.stateKnown,
            confidence: local.stateConfidence,
            since: local.stateSince,
            aliases: [...local.aliases].sort(),
            grantIds: local.grants.map((grant) => grant.grantId).sort(),
            policyVersion: local.policyVersion,
          });
        }
      }
    });

    it("who-can: the set of (principal, via type, sid/statement/grantId, escalation action, unlogged operations) and usable", async () => {
      for (const key of loaded.data.keys) {
        for (const t of instants(key, loaded)) {
          for (const operation of ["Decrypt", "CreateGrant", "Sign"]) {
            const where = `${operation} on ${key.arn} @ ${iso(t)}`;
            expect(await neo4jWhoCan(key.arn, operation, t), where).toEqual(
              localWhoCan(loaded, key.arn, operation, t),
            );
          }
        }
      }
    });

    it("reach: keys each principal and session could use at each change, with operations, partial sessions and unlogged grants", async () => {
      const principals = askedPrincipals(loaded);
      const times = [...new Set(loaded.data.keys.flatMap((key) => instants(key, loaded)))].sort(
        (a, b) => a - b,
      );
      const probes = times.filter((_, index) => index % Math.max(1, Math.floor(times.length / 6)) === 0);
      for (const principal of principals) {
        for (const t of probes) {
          expect(await neo4jReach(principal, t), `${principal} @ ${iso(t)}`).toEqual(
            localReach(loaded, principal, t),
          );
        }
      }
    });

    it("key-timeline: the key history's events (time, name, eventIds)", async () => {
      for (const key of loaded.data.keys) {
        // keyHistory lists an event twice when its `keys` names the key twice (UpdatePrimaryRegion's two
        // records); the graph has one ON edge per event and key, so compare each event once.
        const local = new Map(
          keyHistory(loaded.model, key.arn).events.map((event) => [
            event.eventIds.join(),
            { time: event.time, name: event.name, eventIds: event.eventIds },
          ]),
        );
        const found = (await rows("key-timeline", { key: key.arn })).map(({ time, name, eventIds }) => ({
          time,
          name,
          eventIds,
        }));
        expect(sorted(found), key.arn).toEqual(sorted([...local.values()]));
      }
    });

    it("alias-history: every interval of each alias name, in every account and Region", async () => {
      const keys = new Set(loaded.data.keys.map((key) => key.arn));
      for (const name of new Set(loaded.data.aliases.map((interval) => interval.alias.name))) {
        const local = (loaded.model.aliasesByName.get(name) ?? [])
          .filter((interval) => keys.has(interval.value))
          .map((interval) => ({
            account: interval.alias.account,
            region: interval.alias.region,
            key: interval.value,
            from: iso(interval.from),
            to: interval.to === null ? null : iso(interval.to),
            confidence: interval.confidence,
          }));
        const found = (await rows("alias-history", { alias: name })).map(
          ({ account, region, key, from, to, confidence }) => ({
            account,
            region,
            key,
            from,
            to,
            confidence,
          }),
        );
        expect(sorted(found), name).toEqual(sorted(local));
      }
    });

    it("policy-versions: the key history's policy versions", async () => {
      for (const key of loaded.data.keys) {
        const local = keyHistory(loaded.model, key.arn).policies.map((policy) => ({
          version: policy.value,
          from: policy.from,
          to: policy.to,
          confidence: policy.confidence,
        }));
        const found = (await rows("policy-versions", { key: key.arn })).map(
          ({ version, from, to, confidence }) => ({
            version,
            from,
            to,
            confidence,
          }),
        );
        expect(found, key.arn).toEqual(local);
      }
    });

    it("external-grants: the grant-outside-account findings (key, grantee, time, whether operations were logged)", async () => {
      // A finding names its grant by the grant's creating records (its eventIds).
      const grantOf = (eventIds: readonly string[]) =>
        loaded.data.grants.find((grant) => grant.openedBy.join() === eventIds.join());
      const local = findings(loaded.model)
        .findings.filter((finding) => finding.detector === "grant-outside-account")
        .map((finding) => ({
          key: finding.blastRadius.keys[0],
          grantee: finding.blastRadius.principals[0],
          from: finding.time,
          operationsKnown: grantOf(finding.eventIds)?.operationsKnown !== false,
        }));
      const found = (await rows("external-grants", {})).map(({ key, grantee, from, operationsKnown }) => ({
        key,
        grantee,
        from,
        operationsKnown,
      }));
      expect(sorted(found)).toEqual(sorted(local));
    });

    it("coverage-gaps: the gaps report", async () => {
      const local = gapsReport(loaded.model).gaps.map((gap) => ({
        account: gap.account,
        region: gap.region,
        from: gap.from,
        to: gap.to,
        reason: gap.reason,
        key: gap.keyArn,
        eventIds: gap.eventIds,
      }));
      const found = (await rows("coverage-gaps", {})).map(
        ({ account, region, from, to, reason, key, eventIds }) => ({
          account,
          region,
          from,
          to,
          reason,
          key,
          eventIds,
        }),
      );
      expect(sorted(found)).toEqual(sorted(local));
    });

    it("usage-by-principal: usage groups over whole-hour windows (whole trail, and its first hour)", async () => {
      const keys = new Set(loaded.data.keys.map((key) => key.arn));
      const store = loaded.data.usage;
      if (store.size === 0) return;
      const start = Math.floor(store.timeAt(0) / HOUR) * HOUR;
      const end = (Math.floor(store.timeAt(store.size - 1) / HOUR) + 1) * HOUR;
      const callers = new Set(
        Array.from({ length: store.size }, (_, row) => store.field(row, "principal") ?? ""),
      );
      for (const principal of callers) {
        if (!["role", "user"].includes(normalizePrincipal(principal).kind)) continue;
        for (const [from, to] of [
          [start, end],
          [start, start + HOUR],
        ] as const) {
          const local = usage(loaded.model, { principal, from, to })
            .calls.filter((call) => call.key !== null && keys.has(call.key))
            .map(({ key, keyRole, operation, count, denied, keyFromAlias, first, last }) => ({
              key,
              keyRole,
              operation,
              count,
              denied,
              keyFromAlias,
              first,
              last,
            }));
          const found = (await rows("usage-by-principal", { principal, from: iso(from), to: iso(to) })).map(
            ({ key, keyRole, operation, count, denied, keyFromAlias, first, last }) => ({
              key,
              keyRole,
              operation,
              count,
              denied,
              keyFromAlias,
              first,
              last,
            }),
          );
          expect(sorted(found), `${principal} ${iso(from)}..${iso(to)}`).toEqual(sorted(local));
        }
      }
    });

    it("denied-attempts: failed usage groups and failed management events over the whole trail", async () => {
      const keys = new Set(loaded.data.keys.map((key) => key.arn));
      const times = [
        ...loaded.data.events.map((event) => event.time),
        ...(loaded.data.usage.size > 0
          ? [loaded.data.usage.timeAt(0), loaded.data.usage.timeAt(loaded.data.usage.size - 1)]
          : []),
      ];
      const from = Math.floor(Math.min(...times) / HOUR) * HOUR;
      const to = (Math.floor(Math.max(...times) / HOUR) + 1) * HOUR;
      const report = usage(loaded.model, { from, to, calls: true });
      const group = (call: { principal: string; key: string | null; operation: string }) =>
        `${call.principal}|${call.key}|${call.operation}`;
      const failedFromAlias = new Map<string, number>();
      for (const call of report.detail ?? []) {
        if (call.errorCode === null || !call.keyFromAlias || call.keyRole !== "key") continue;
        failedFromAlias.set(group(call), (failedFromAlias.get(group(call)) ?? 0) + 1);
      }
      const failedUsage = report.calls
        .filter(
          (call) => call.denied > 0 && call.keyRole === "key" && call.key !== null && keys.has(call.key),
        )
        .map((call) => ({
          kind: "usage",
          principal: call.principal,
          key: call.key,
          operation: call.operation,
          denied: call.denied,
          keyFromAlias: failedFromAlias.get(group(call)) ?? 0,
        }));
      const failedManagement = loaded.data.events
        .filter((event) => event.error !== null)
        .flatMap((event) => {
          const touched = [...new Set(event.keys)].filter((key) => keys.has(key));
          return (touched.length > 0 ? touched : [null]).map((key) => ({
            kind: "management",
            principal: event.actor.id,
            key,
            operation: event.name,
            denied: 1,
            keyFromAlias: 0,
          }));
        });
      const found = (await rows("denied-attempts", { from: iso(from), to: iso(to) })).map(
        ({ kind, principal, key, operation, denied, keyFromAlias }) => ({
          kind,
          principal,
          key,
          operation,
          denied,
          keyFromAlias,
        }),
      );
      expect(sorted(found)).toEqual(sorted([...failedUsage, ...failedManagement]));
    });
  });
});
