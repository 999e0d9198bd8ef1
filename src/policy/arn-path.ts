/**
 * IAM role and user ARNs carry a path (`arn:aws:iam::A:role/service-role/App`). CloudTrail logs it (an IAM
 * user's userIdentity.arn, a session's sessionContext.sessionIssuer.arn; a session ARN itself has none), but
 * keytrail's normalized principals drop it: a principal's ARN is known but for its path. A condition on such an
 * ARN is decided only when every path gives the same answer; these are the ARNs to try.
 */

// arn:<partition>:iam::<account>:role/<name> or user/<name>, as normalized: no path.
const PATHLESS_IAM_ARN = /^(arn:[^:]+:iam::\d{12}:(?:role|user)\/)([^/]+)$/;

/** Stands for path characters a policy value leaves to a wildcard: no literal a policy writes matches it. */
const ANY = "\u0000";

/**
 * The path a policy value spells, if any: its resource part after `role/` or `user/`, up to its last `/`,
 * wildcards standing for ANY: `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*` spells
 * `aws-reserved/sso.amazonaws.com/`.
 */
function spelledPath(value: string): string | null {
  const resource = value.slice(value.lastIndexOf(":") + 1).replace(/^(?:role|user)\//, "");
  const end = resource.lastIndexOf("/");
  return end < 0 ? null : resource.slice(0, end + 1).replace(/[*?]/g, ANY);
}

/**
 * The ARNs `arn` may really be, as far as the condition values can tell apart: no path, a path no value names
 * (`ANY/`), and each path a value spells. An ARN that is not a path-less role or user ARN is returned alone.
 */
export function arnPathVariants(arn: string, policyValues: readonly string[]): string[] {
  const match = PATHLESS_IAM_ARN.exec(arn);
  if (!match) return [arn];
  const [, head = "", name = ""] = match;
  const paths = new Set(["", `${ANY}/`]);
  for (const value of policyValues) {
    const path = spelledPath(value);
    if (path !== null) paths.add(path);
  }
  return [...paths].map((path) => `${head}${path}${name}`);
}
