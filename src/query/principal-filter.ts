import { UsageError } from "../errors.js";
import { normalizePrincipal, type Principal } from "../events/index.js";
import type { CaseModel } from "../model/index.js";

/** Whether a call or event belongs to the principal a user named. */
export type PrincipalFilter = (principal: string, invokedBy: string | null) => boolean;

/**
 * `--principal` as DESIGN §8 reads it: an ARN (a session ARN means its role), an account id (every principal
 * of that account), or a service principal, which also matches calls the service made on someone's behalf
 * (invokedBy). Answers are memoized per principal: a filter is asked once per usage row.
 */
export function principalFilter(model: CaseModel, name: string): PrincipalFilter {
  const wanted = normalizePrincipal(name);
  if (wanted.kind === "unknown") {
    throw new UsageError(`principal: "${name}" is not an ARN, an account id or a service principal`, {
      hint: "e.g. arn:aws:iam::111122223333:role/App, 111122223333 or ec2.amazonaws.com",
    });
  }
  const principalOf = principalLookup(model);
  const memo = new Map<string, boolean>();
  const matches = (id: string): boolean => {
    let answer = memo.get(id);
    if (answer === undefined) {
      const principal = principalOf(id);
      answer = wanted.kind === "account" ? principal.account === wanted.id : principal.id === wanted.id;
      memo.set(id, answer);
    }
    return answer;
  };
  return (principal, invokedBy) =>
    matches(principal) || (wanted.kind === "service" && invokedBy === wanted.id);
}

/** A normalized principal id -> its record (kind, account), from the model or by reading the id itself. */
export function principalLookup(model: CaseModel): (id: string) => Principal {
  const known = new Map<string, Principal>(
    model.data.principals.map((record) => [
      record.id,
      { id: record.id, kind: record.kind, account: record.account },
    ]),
  );
  return (id) => {
    let principal = known.get(id);
    if (!principal) {
      principal = normalizePrincipal(id);
      known.set(id, principal);
    }
    return principal;
  };
}
