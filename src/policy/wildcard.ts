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

// A policy has a handful of patterns, matched once per call attributed: compile each once (bounded).
const compiled = new Map<string, RegExp>();
const COMPILED_LIMIT = 10_000;

export function matchesWildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const slot = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regexp = compiled.get(slot);
  if (regexp === undefined) {
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    regexp = wildcardToRegExp(pattern, caseInsensitive);
    compiled.set(slot, regexp);
  }
  return regexp.test(value);
}
