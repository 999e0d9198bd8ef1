import { type ParsedPolicy, parsePolicy } from "../../src/policy/index.js";

export function mustParse(document: unknown): ParsedPolicy {
  const parsed = parsePolicy(document);
  if (parsed.kind === "problem") throw new Error(`test policy does not parse: ${JSON.stringify(parsed)}`);
  return parsed;
}
