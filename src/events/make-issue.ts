import type { Issue, IssueCode, SourcePosition } from "../issue.js";

/** An Issue located at a record's source position. */
export function makeIssue(
  code: IssueCode,
  reason: string,
  position: SourcePosition,
  eventId?: string,
): Issue {
  return {
    code,
    reason,
    file: position.file,
    index: position.index,
    ...(position.line === undefined ? {} : { line: position.line }),
    ...(eventId === undefined ? {} : { eventId }),
  };
}
