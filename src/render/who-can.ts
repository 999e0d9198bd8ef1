import type { ConditionBlock, DenyNote } from "../policy/index.js";
import type { WhoCanPrincipal, WhoCanReport, WhoCanVia } from "../query/index.js";
import { KEY_OPERATIONS } from "../query/index.js";
import type { Block } from "./blocks.js";

const short = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);
const statementName = (via: { sid?: string; statement?: number }) =>
  via.sid ? `"${via.sid}"` : `statement #${via.statement ?? "?"}`;

/** "all 45", "all but A, B", or the list: a line per principal must stay readable. */
export function operationsLabel(operations: readonly string[]): string {
  if (operations.length === 0) return "none directly";
  const missing = KEY_OPERATIONS.filter((operation) => !operations.includes(operation));
  if (missing.length === 0) return `all ${operations.length} (kms:*)`;
  if (missing.length <= 5 && operations.length > missing.length) return `all but ${missing.join(", ")}`;
  return operations.join(", ");
}

export function viaLabel(via: WhoCanVia): string {
  switch (via.type) {
    case "keyPolicy":
      return `policy ${statementName(via)}`;
    case "grant":
      return `grant ${short(via.grantId ?? "?")}`;
    case "iamDelegation":
      return `IAM of ${via.account ?? "?"} (policy ${statementName(via)})`;
    case "escalation":
      return `escalation by ${via.action ?? "?"}`;
  }
}

/** The distinct routes of a line, direct ones first: escalation only says which actions open the way. */
export function routesLabel(vias: readonly WhoCanVia[]): string {
  return [...new Set(vias.map(viaLabel))]
    .sort((a, b) => Number(a.startsWith("escalation")) - Number(b.startsWith("escalation")))
    .join("; ");
}

function conditionText(block: ConditionBlock): string[] {
  return Object.entries(block).flatMap(([operator, keys]) =>
    Object.entries(keys).map(
      ([key, value]) => `${operator} ${key}=${Array.isArray(value) ? value.join("|") : String(value)}`,
    ),
  );
}

const pairs = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** The conditions, constraints, exclusions and possible Denies of one line, short. */
export function conditionsLabel(vias: readonly WhoCanVia[], denies: readonly DenyNote[] = []): string {
  const parts = vias.flatMap((via) => [
    ...(via.conditions ? conditionText(via.conditions) : []),
    ...(via.constraints?.encryptionContextSubset
      ? [`context ⊇ {${pairs(via.constraints.encryptionContextSubset)}}`]
      : []),
    ...(via.constraints?.encryptionContextEquals
      ? [`context = {${pairs(via.constraints.encryptionContextEquals)}}`]
      : []),
    ...(via.except?.length ? [`except ${via.except.join(", ")}`] : []),
  ]);
  const denied = denies.map((deny) => `Deny ${statementName(deny)} may apply`);
  return [...new Set([...parts, ...denied])].join("; ") || "-";
}

function principalRow(entry: WhoCanPrincipal): string[] {
  return [
    entry.principal,
    entry.kind,
    operationsLabel(entry.operations),
    routesLabel(entry.via),
    conditionsLabel(entry.via, entry.denies),
    entry.conditional ? "conditional" : "yes",
  ];
}

export function whoCanBlocks(report: WhoCanReport): Block[] {
  const { key } = report;
  const usable = report.usable
    ? "yes"
    : `NO: the key is ${report.blockedBy ?? "?"}${report.operation === "*" ? " (cryptographic operations refused)" : ""}`;
  const fields: [string, string][] = [
    ["key", key.arn],
    ["aliases", key.aliases.join(", ") || "-"],
    ["at", report.at],
    ["state", `${key.state}${key.stateKnown ? "" : " (not known from the trail)"}`],
    ["operation", report.operation === "*" ? "every key operation" : report.operation],
    ["usable", usable],
    [
      "key policy",
      report.policy
        ? `version ${report.policy.version} (${report.policy.confidence}, ${report.policy.eventIds[0] ?? "no event"})`
        : "UNKNOWN",
    ],
    ["grants in force", String(report.grantIds.length)],
  ];
  const blocks: Block[] = [
    { kind: "fields", title: `Who could use ${key.keyId} at ${report.at}`, fields },
    {
      kind: "table",
      title: "Principals",
      table: {
        headers: ["principal", "kind", "operations", "how", "conditions", "certain"],
        rows: report.principals.map(principalRow),
      },
      empty: "nobody, as far as the replayed policy and grants show",
    },
  ];
  if (report.removed.length > 0) {
    blocks.push({
      kind: "table",
      title: "Removed by an unconditional Deny",
      table: {
        headers: ["principal", "operations", "Deny"],
        rows: report.removed.map((entry) => [
          entry.principal,
          operationsLabel(entry.operations),
          statementName(entry),
        ]),
      },
    });
  }
  blocks.push({ kind: "list", title: "Caveats", items: report.caveats });
  return blocks;
}
