/**
 * "lines": one JSON value a line (NDJSON), read line by line so a bad line costs only itself.
 * "json": anything else (pretty-printed or minified documents, arrays, concatenations), read by the scanner.
 */
export type TextLayout = "lines" | "json";

/** How much leading text is looked at before deciding; NDJSON lines are far shorter than this. */
export const SNIFF_LIMIT = 1024 * 1024;

/** A first line ending like this is the start of a pretty-printed document, not a broken NDJSON line. */
const OPENS_DOCUMENT = /[[{,:]$/;

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Decides the layout from the head of the text, or returns undefined while it needs more text. NDJSON is
 * a first line that starts with "{" and either is a whole JSON object on its own, or is broken (does not
 * parse, does not end like the opening of a pretty-printed document) and is followed by a line that
 * starts with "{" too.
 */
export function sniffLayout(head: string, final: boolean): TextLayout | undefined {
  const enough = final || head.length >= SNIFF_LIMIT;
  const first = head.search(/\S/);
  if (first < 0) return enough ? "json" : undefined;
  if (head[first] !== "{") return "json";
  const firstEnd = head.indexOf("\n", first);
  if (firstEnd < 0) return enough ? "json" : undefined;
  const firstLine = head.slice(first, firstEnd).trim();
  if (parsesAsObject(firstLine)) return "lines";
  if (OPENS_DOCUMENT.test(firstLine)) return "json";
  const secondEnd = head.indexOf("\n", firstEnd + 1);
  if (secondEnd < 0 && !enough) return undefined;
  const secondLine = head.slice(firstEnd + 1, secondEnd < 0 ? undefined : secondEnd).trim();
  return secondLine.startsWith("{") ? "lines" : "json";
}
