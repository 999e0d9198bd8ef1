const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** C0 and C1 control characters and DEL: a terminal acts on them (colours, cursor moves, window titles). */
export function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function escapeControl(char: string): string {
  return NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * Text from the input (an issue reason's excerpt, a key description, an alias, a file name) made safe to
 * print: controls become `\n`, `\x1b`… (bytes that are not UTF-8 are already U+FFFD), so a hostile or binary
 * file cannot recolour, move the cursor or retitle the window of whoever reads the output, or fake extra rows.
 * Shared by the reader's issue reasons and every text format of render.
 */
export function escapeControls(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isControl(text.charCodeAt(i))) continue;
    out += text.slice(from, i) + escapeControl(text.charAt(i));
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The first `max` characters of `text`, controls escaped, with "…" when there was more. */
export function excerpt(text: string, max: number): string {
  const cut = text.length > max;
  return `${escapeControls(cut ? text.slice(0, max) : text)}${cut ? "…" : ""}`;
}

/** Whether text looks binary: bytes that were not UTF-8 (U+FFFD) or controls other than line breaks and tabs. */
export function looksBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (isControl(code) && !"\n\r\t".includes(text.charAt(i)))) return true;
  }
  return false;
}
