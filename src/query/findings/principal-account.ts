const ACCOUNT = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

/** The account a normalized principal id or a key ARN belongs to; null for services, `*` and the unknown. */
export function principalAccount(id: string): string | null {
  if (ACCOUNT.test(id)) return id;
  return ARN_ACCOUNT.exec(id)?.[1] ?? null;
}
