import { COLON, isJsonWhitespace } from "./json-chars.js";

/**
 * Where reading can start again after a record cut short, whose brackets or strings ran on into the records
 * after it: at an object whose first key says it opens a record (`eventVersion`, which CloudTrail writes first)
 * or a document of records (`Records`, `Events`). A brace, optional whitespace and one of these quoted keys can
 * only be such an object, since a quote inside a JSON string is escaped: so it is found in the text itself,
 * even where a cut inside a string has a scanner take strings for structure and structure for strings.
 */
export interface RestartPoint {
  /** Index of the object's `{`. */
  at: number;
  kind: "record" | "document";
}

const RESTART_POINTS = /\{[\t\n\r ]*"(eventVersion|Records|Events)"/g;

function* restartPoints(text: string, from: number): Generator<RestartPoint> {
  const pattern = new RegExp(RESTART_POINTS);
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    yield { at: match.index, kind: match[1] === "eventVersion" ? "record" : "document" };
  }
}

/** The first restart point in `text` at or after `from`, or null. */
export function firstRestart(text: string, from: number): RestartPoint | null {
  for (const point of restartPoints(text, from)) return point;
  return null;
}

/**
 * The first restart point past the start of `text` (a value or element that does not parse) that is not a
 * member's value: the records a record cut short swallowed follow a comma, a bracket or the cut itself, while
 * an object after a colon (an EventBridge `detail`) is the text's own, and reading it apart would misread the
 * rest.
 */
export function swallowedRestart(text: string): RestartPoint | null {
  for (const point of restartPoints(text, 1)) {
    let before = point.at - 1;
    while (isJsonWhitespace(text.charCodeAt(before))) before--;
    if (text.charCodeAt(before) !== COLON) return point;
  }
  return null;
}

/** Why a record or value was cut short, `text` being what came before the record or document inside it. */
export function cutReason(text: string, inElement: boolean, next: RestartPoint["kind"]): string {
  const bytes = Buffer.byteLength(text);
  return `${inElement ? "record" : "value"} cut short: a new ${next} starts ${bytes} bytes into it, and reading went on from there`;
}
