import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/query/format-duration.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatDuration", () => {
  it("says a duration in the unit a reader takes in at a glance", () => {
    expect(formatDuration(40 * SECOND)).toBe("40 s");
    expect(formatDuration(119 * SECOND)).toBe("119 s");
    expect(formatDuration(2 * MINUTE)).toBe("2 min");
    expect(formatDuration(119 * MINUTE)).toBe("119 min");
    expect(formatDuration(3 * HOUR + 5 * MINUTE)).toBe("3 h 5 min");
    expect(formatDuration(5 * HOUR)).toBe("5 h");
    expect(formatDuration(7 * DAY)).toBe("7 days");
    // A redacted sample's year of silence: days, not half a million minutes.
    expect(formatDuration(2094 * DAY + 3 * HOUR)).toBe("2094 days");
  });
});
