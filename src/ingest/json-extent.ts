import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  isJsonWhitespace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from "./json-chars.js";

/**
 * Where a string, a bracketed value or a bare token that starts at a known index ends, in text that may stop
 * early: the measures the scanners share.
 */

/** Index just past the closing quote of the string opening at `start`, or -1 when it is not complete yet. */
export function stringEnd(s: string, start: number): number {
  let q = start + 1;
  for (;;) {
    q = s.indexOf('"', q);
    if (q < 0) return -1;
    let b = q - 1;
    while (s.charCodeAt(b) === BACKSLASH) b--;
    if (((q - 1 - b) & 1) === 0) return q + 1;
    q++;
  }
}

/** Index just past the value opening with the bracket at `start` (strings respected), or -1 if it never closes. */
export function valueEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(s, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/** End of a bare top-level token (number, literal or garbage), or -1 when the text ends first. */
export function tokenEnd(s: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isJsonWhitespace(c) || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE || c === COMMA) return i;
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) return i;
  }
  return -1;
}
