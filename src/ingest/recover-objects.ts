import { valueEnd } from "./json-extent.js";

/** Where a new element may start after a broken one: a comma, then an object. */
const NEXT_OBJECT = /,\s*\{/g;

/**
 * Complete JSON objects found after the start of an element that failed to parse. When a record is cut
 * short inside an array, bracket counting runs on into the records after it, so they end up in the failed
 * element's text; this finds them again. Candidates that do not parse (a comma and brace inside a string)
 * or that `accept` refuses (a nested object of a record, such as a resources[] entry) are passed over.
 */
export function recoverObjects(text: string, accept: (value: unknown) => boolean): unknown[] {
  const found: unknown[] = [];
  const next = new RegExp(NEXT_OBJECT);
  let from = 1;
  for (;;) {
    next.lastIndex = from;
    const match = next.exec(text);
    if (match === null) return found;
    const start = match.index + match[0].length - 1;
    const end = valueEnd(text, start);
    if (end > 0) {
      const value = parseOrUndefined(text.slice(start, end));
      if (value !== undefined && accept(value)) {
        found.push(value);
        from = end;
        continue;
      }
    }
    from = start + 1;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
