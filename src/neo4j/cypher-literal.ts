/**
 * A JSON value as a Cypher literal, for the parameter-free export script. Strings are single-quoted with every
 * quote, backslash and control character escaped, so text from logs (alias names, encryption contexts, Sids)
 * can never end the literal. Map keys are backtick-quoted.
 */
export function cypherLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return cypherString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : "null";
  }
  if (Array.isArray(value)) return `[${value.map(cypherLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `\`${key.replaceAll("`", "``")}\`: ${cypherLiteral(item)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  return "null";
}

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

export function cypherString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  const escaped = text.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (char) => {
    return ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `'${escaped}'`;
}
