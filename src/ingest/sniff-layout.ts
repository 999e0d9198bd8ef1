import { MAX_VALUE_CHARS } from "./json-scanner.js";

/**
 * "lines": one JSON value a line (NDJSON), read line by line so a bad line costs only itself.
 * "json": anything else (pretty-printed or minified documents, arrays, concatenations), read by the scanner.
 */
export type TextLayout = "lines" | "json";

/** How much leading text is looked at before deciding; NDJSON lines are far shorter than this. */
export const SNIFF_LIMIT = 1024 * 1024;

/** A first line ending like this is the start of a pretty-printed document, not a broken NDJSON line. */
const OPENS_DOCUMENT = /[[{]$/;
/** A first line ending like this, broken, was cut inside a record, or opens a pretty-printed record's members. */
const ENDS_MEMBER = /[,:]$/;
/** A document that opens its Records or Events array on its first line: its elements may follow one a line. */
const OPENS_CONTAINER = /^\{\s*"(?:Records|Events)"\s*:\s*\[/;

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Decides the layout from the head of the text, or returns undefined while it needs more text. NDJSON is a
 * first line that starts with "{" and either is a whole JSON object on its own, or is broken (a record cut
 * short, see afterBrokenLine) and followed by records a line. The first line is waited for up to the size
 * of a value, as an NDJSON record can be megabytes long; a minified document that opens its Records or Events
 * array is one line, and decided as soon as SNIFF_LIMIT of it is in.
 */
export function sniffLayout(head: string, final: boolean): TextLayout | undefined {
  const first = head.search(/\S/);
  if (first < 0) return final || head.length >= SNIFF_LIMIT ? "json" : undefined;
  if (head[first] !== "{") return "json";
  const firstEnd = head.indexOf("\n", first);
  if (firstEnd < 0) {
    const wait = OPENS_CONTAINER.test(head.slice(first, first + SNIFF_LIMIT)) ? SNIFF_LIMIT : MAX_VALUE_CHARS;
    return final || head.length >= wait ? "json" : undefined;
  }
  const firstLine = head.slice(first, firstEnd).trim();
  if (parsesAsObject(firstLine)) return "lines";
  if (OPENS_DOCUMENT.test(firstLine) || OPENS_CONTAINER.test(firstLine)) return "json";
  return afterBrokenLine(head, firstEnd, firstLine, final);
}

/**
 * After a first line that does not parse: NDJSON when the lines after it start with "{" up to one that is a
 * whole object on its own (the lines of a pretty-printed document start with a key, "}" or "]"). Failing that
 * within the head, NDJSON when the next line starts with "{" and the first does not end like a member (`,`
 * or `:`, as `{"eventVersion": "1.08",` opening a record written a member a line does).
 */
function afterBrokenLine(
  head: string,
  firstEnd: number,
  firstLine: string,
  final: boolean,
): TextLayout | undefined {
  let next: string | undefined;
  for (let start = firstEnd + 1; start <= head.length; ) {
    let end = head.indexOf("\n", start);
    if (end < 0) {
      // The line still arriving may be the whole object that decides, unless the head is long enough.
      if (!final && head.length < SNIFF_LIMIT) return undefined;
      end = head.length;
    }
    const line = head.slice(start, end).trim();
    if (line !== "") {
      next ??= line;
      if (!line.startsWith("{")) break;
      if (parsesAsObject(line)) return "lines";
    }
    start = end + 1;
  }
  return !ENDS_MEMBER.test(firstLine) && next?.startsWith("{") ? "lines" : "json";
}
