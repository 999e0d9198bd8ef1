import { kmsRequestContext, type RequestContext } from "../policy/index.js";

/** What the person asking knows about the request they have in mind (`--context`, `--via-service`, …). */
export interface QuestionFacts {
  /** Condition key -> value, e.g. `kms:EncryptionContext:Department` -> `Finance`, `aws:PrincipalOrgID` -> `o-1` */
  context?: Record<string, string>;
  viaService?: string;
  callerAccount?: string;
}

const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:(.+)$/i;

/**
 * The evaluation context of a question, or undefined when it names no fact (then every condition is reported
 * undecided). Encryption-context pairs given are taken as the request's whole encryption context, so grant
 * constraints and `kms:EncryptionContextKeys` can be decided; every other key is authoritative on its own.
 */
export function questionContext(facts: QuestionFacts): RequestContext | undefined {
  const pairs = Object.entries(facts.context ?? {});
  const encryption = pairs.flatMap(([key, value]) => {
    const name = ENCRYPTION_CONTEXT.exec(key)?.[1];
    return name === undefined ? [] : [[name, value] as const];
  });
  const others = pairs.filter(([key]) => !ENCRYPTION_CONTEXT.test(key));
  if (pairs.length === 0 && facts.viaService === undefined && facts.callerAccount === undefined) {
    return undefined;
  }
  const base = kmsRequestContext({
    ...(facts.viaService === undefined ? {} : { viaService: facts.viaService }),
    ...(facts.callerAccount === undefined ? {} : { callerAccount: facts.callerAccount }),
    ...(encryption.length === 0 ? {} : { encryptionContext: Object.fromEntries(encryption) }),
  });
  return {
    values: { ...base.values, ...Object.fromEntries(others) },
    authoritative: [...base.authoritative, ...others.map(([key]) => key)],
  };
}
