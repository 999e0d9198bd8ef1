/**
 * IAM's glob: `*` is any run of characters (also empty), `?` exactly one; everything else is literal.
 * Used by action matching and by the Like condition operators, which share this grammar.
 */
export function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
}

export function matchesWildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  return wildcardToRegExp(pattern, caseInsensitive).test(value);
}
