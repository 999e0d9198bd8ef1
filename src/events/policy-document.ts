import { z } from "zod";

/**
 * Key policies arrive as JSON strings and are parsed once, here. A string that is not a JSON object is kept
 * as `{unparsed: string}` so the policy version still exists and its text can be shown; an object (some
 * exports already expanded it) is kept as is.
 */
export const policyDocumentSchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((value): unknown => (typeof value === "string" ? parsePolicyText(value) : value));

function parsePolicyText(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed
      : { unparsed: text };
  } catch {
    return { unparsed: text };
  }
}
