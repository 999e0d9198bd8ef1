import type { Principal } from "../events/index.js";
import type { PrincipalSpec } from "./parsed-policy.js";

/** How much of a target principal a statement's principal element reaches. */
export type Coverage = { extent: "all" } | { extent: "none" } | { extent: "partial"; reason: string };

const ALL: Coverage = { extent: "all" };
const NONE: Coverage = { extent: "none" };
const partial = (reason: string): Coverage => ({ extent: "partial", reason });

/**
 * Whether one named principal reaches the target. Naming an account reaches every principal in it, as a
 * Deny on `arn:aws:iam::A:root` does. A named principal inside a target account or under a target `*`
 * reaches only part of it; an unresolved unique id (AROA…) may or may not be the target role or user.
 */
export function entryCovers(entry: Principal, target: Principal): Coverage {
  if (entry.kind === "any" || entry.id === target.id) return ALL;
  if (entry.kind === "account" && target.account === entry.id) return ALL;
  if (target.kind === "any") return partial(`it names ${entry.id}, one of anyone`);
  if (target.kind === "account" && entry.account === target.id) {
    return partial(`it names ${entry.id}, one principal of account ${target.id}`);
  }
  const ids = [entry.kind, target.kind].filter((kind) => kind === "principal-id").length;
  const iam = [entry.kind, target.kind].filter((kind) => kind === "role" || kind === "user").length;
  if (ids === 1 && iam === 1)
    return partial(`unique id ${entry.kind === "principal-id" ? entry.id : target.id} is unresolved`);
  return NONE;
}

function strongest(results: Coverage[]): Coverage {
  return results.find((c) => c.extent === "all") ?? results.find((c) => c.extent === "partial") ?? NONE;
}

/**
 * NotPrincipal excludes the principals it lists. IAM may evaluate a role's or user's account before the
 * principal itself, so AWS tells authors to list the account too; when they did not, the exclusion is doubtful.
 * Listing only the account excludes the account principal, not the roles and users in it.
 */
function notPrincipalCovers(entries: Principal[], target: Principal): Coverage {
  if (entries.some((e) => e.kind === "any")) return NONE;
  if (target.kind === "any") return partial("NotPrincipal excludes some principals from anyone");
  const listed = entries.some((e) => e.id === target.id);
  const accountListed =
    target.account !== null && entries.some((e) => e.kind === "account" && e.id === target.account);
  if (target.kind === "role" || target.kind === "user") {
    if (listed && accountListed) return NONE;
    if (listed)
      return partial(`NotPrincipal lists ${target.id} but not its account ${target.account ?? "?"}`);
    return ALL;
  }
  if (listed) return NONE;
  if (target.kind === "account" && entries.some((e) => e.account === target.id)) {
    return partial(`NotPrincipal excludes some principals of account ${target.id}`);
  }
  return ALL;
}

export function principalSpecCovers(spec: PrincipalSpec, target: Principal): Coverage {
  const entries = spec.entries.map((entry) => entry.principal);
  if (spec.kind === "NotPrincipal") return notPrincipalCovers(entries, target);
  return strongest(entries.map((entry) => entryCovers(entry, target)));
}
