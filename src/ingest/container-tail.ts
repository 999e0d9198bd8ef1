/**
 * What the text between the streamed array's `]` and its object's `}` holds that is worth an issue: text that
 * is not more members (`"NextToken": "..."`), and containers after the streamed one, which JSON.parse would
 * keep the last of and a reader must not drop without a word.
 */
export function tailIssues(tail: string, streamed: "Records" | "Events"): string[] {
  const members = tailMembers(tail);
  const bytes = Buffer.byteLength(tail);
  const unread = ["Records", "Events"].filter((key) => Array.isArray(members?.[key]));
  return [
    ...(members === null ? [`unexpected text after the streamed array (${bytes} bytes ignored)`] : []),
    ...unread.map((key) => unreadContainer(key, streamed, bytes)),
  ];
}

/**
 * What may follow the streamed array inside its object: nothing, or more members (`"NextToken": "..."`).
 * The members, or null when the tail is not that.
 */
function tailMembers(tail: string): Record<string, unknown> | null {
  const trimmed = tail.trim();
  if (trimmed === "") return {};
  if (!trimmed.startsWith(",")) return null;
  try {
    const members: unknown = JSON.parse(`{${trimmed.slice(1)}}`);
    return typeof members === "object" && members !== null ? (members as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why a container member after the streamed one was not read. */
function unreadContainer(key: string, streamed: string, bytes: number): string {
  return key === streamed
    ? `the document repeats its "${key}" member; the repeated one was not read (${bytes} bytes)`
    : `a second container "${key}" after "${streamed}" was not read (${bytes} bytes)`;
}
