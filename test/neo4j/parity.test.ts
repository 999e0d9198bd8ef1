import { beforeAll, describe, expect, it } from "vitest";
import { normalizePrincipal } from "../../src/events/index.js";
import type { KeyRecord } from "../../src/model/index.js";
import { listQueries } from "../../src/neo4j/index.js";
import {
  findings,
  gapsReport,
  iso,
  keyAt,
  keyHistory,
  reach,
  usage,
  whoCanAt,
} from "../../src/query/index.js";
import { type LoadedCase, loadCaseFrom, push, query, SCENARIOS } from "./graph-fixtures.js";
import { clearDatabase, neo4jUri } from "./helpers.js";

/**
 * Every question of queries/ asked of Neo4j and of the local engine on every fixture trail, with the same
 * answer. Each test states how the query's rows map to the local answer; conditions are compared as
 * reported, never evaluated.
 */
const HOUR = 3_600_000;
const SECOND = 1000;
const documented = new Map((await listQueries()).map((named) => [named.name, named]));
const sorted = <T>(items: T[]) =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function rows(name: string, parameters: Record<string, string>) {
  const result = await query(name, parameters);
  // The header documents exactly the columns the query returns.
  if (result.rows.length > 0)
    expect(result.columns).toEqual(documented.get(name)?.columns.map((c) => c.name));
  return result.rows;
}

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

    it("who-can: the set of (principal, via type, sid/statement/grantId, escalation action) and usable", async () => {
      for (const key of loaded.data.keys) {
        for (const t of instants(key, loaded)) {
          for (const operation of ["Decrypt", "CreateGrant", "Sign"]) {
            const local = whoCanAt(loaded.model, key.arn, t, { operation });
            const found = await rows("who-can", { key: key.arn, operation, at: iso(t) });
            const where = `${operation} on ${key.arn} @ ${iso(t)}`;
            expect(found[0]?.usable, where).toBe(local.usable);
            const routes = found
              .filter((row) => row.principal !== null)
              .map(
                (row) =>
                  `${row.principal}|${row.via}|${row.grantId ?? row.sid ?? `#${row.statement}`}|${row.action ?? ""}`,
              );
            const expected = local.principals.flatMap((entry) =>
              entry.via.map(
                (via) =>
                  `${entry.principal}|${via.type}|${via.grantId ?? via.sid ?? `#${via.statement}`}|${via.type === "escalation" ? via.action : ""}`,
              ),
            );
            expect(sorted([...new Set(routes)]), where).toEqual(sorted([...new Set(expected)]));
          }
        }
      }
    });

    it("reach: keys each principal could use at each change, with their operations", async () => {
      const principals = loaded.rows.nodes.Principal.filter((p) =>
        ["role", "user", "account"].includes(p.kind),
      );
      const times = [...new Set(loaded.data.keys.flatMap((key) => instants(key, loaded)))].sort(
        (a, b) => a - b,
      );
      const probes = times.filter((_, index) => index % Math.max(1, Math.floor(times.length / 6)) === 0);
      for (const principal of principals) {
        for (const t of probes) {
          const local = reach(loaded.model, principal.id, { at: t })
            .keys.filter((entry) => entry.operations.length > 0)
            .map((entry) => ({ key: entry.key.arn, operations: [...entry.operations].sort() }));
          const found = (await rows("reach", { principal: principal.id, at: iso(t) })).map((row) => ({
            key: row.key,
            operations: row.operations,
          }));
          expect(sorted(found), `${principal.id} @ ${iso(t)}`).toEqual(sorted(local));
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

    it("external-grants: the grant-outside-account findings (key, grantee, time)", async () => {
      const local = findings(loaded.model)
        .findings.filter((finding) => finding.detector === "grant-outside-account")
        .map((finding) => ({
          key: finding.blastRadius.keys[0],
          grantee: finding.blastRadius.principals[0],
          from: finding.time,
        }));
      const found = (await rows("external-grants", {})).map(({ key, grantee, from }) => ({
        key,
        grantee,
        from,
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
            .map(({ key, keyRole, operation, count, denied, first, last }) => ({
              key,
              keyRole,
              operation,
              count,
              denied,
              first,
              last,
            }));
          const found = (await rows("usage-by-principal", { principal, from: iso(from), to: iso(to) })).map(
            ({ key, keyRole, operation, count, denied, first, last }) => ({
              key,
              keyRole,
              operation,
              count,
              denied,
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
      const failedUsage = usage(loaded.model, { from, to })
        .calls.filter(
          (call) => call.denied > 0 && call.keyRole === "key" && call.key !== null && keys.has(call.key),
        )
        .map((call) => ({
          kind: "usage",
          principal: call.principal,
          key: call.key,
          operation: call.operation,
          denied: call.denied,
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
          }));
        });
      const found = (await rows("denied-attempts", { from: iso(from), to: iso(to) })).map(
        ({ kind, principal, key, operation, denied }) => ({ kind, principal, key, operation, denied }),
      );
      expect(sorted(found)).toEqual(sorted([...failedUsage, ...failedManagement]));
    });
  });
});
