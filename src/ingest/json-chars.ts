/** The character codes JSON's structure is made of, shared by the scanners that find values in raw text. */
export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;

/** JSON's four whitespace characters (not JavaScript's `\s`). */
export function isJsonWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The first index at or after `i` that is not JSON whitespace. */
export function skipWhitespace(text: string, i: number): number {
  let at = i;
  while (at < text.length && isJsonWhitespace(text.charCodeAt(at))) at++;
  return at;
}
