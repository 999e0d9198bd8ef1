import { describe, expect, it } from "vitest";
import { parseAwsDate } from "../../src/events/index.js";

describe("parseAwsDate", () => {
  it.each([
    ["ISO with Z", "2021-04-12T18:58:30Z", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["ISO with ms", "2021-04-12T18:58:30.250Z", Date.UTC(2021, 3, 12, 18, 58, 30, 250)],
    ["ISO with offset", "2021-04-12T20:58:30+02:00", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["ISO with compact negative offset", "2021-04-12T13:58:30-0500", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["ISO without zone is UTC", "2021-04-12T18:58:30", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["24h hour with a stray PM", "Apr 12, 2021 18:58:30 PM", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["comma after the year, PM", "Aug 10, 2022, 10:38:27 PM", Date.UTC(2022, 7, 10, 22, 38, 27)],
    ["comma after the year, AM", "Nov 18, 2020, 1:29:18 AM", Date.UTC(2020, 10, 18, 1, 29, 18)],
    ["12 AM is midnight", "Jan 1, 2023 12:00:00 AM", Date.UTC(2023, 0, 1, 0, 0, 0)],
    ["12 PM is noon", "Jan 1, 2023 12:00:00 PM", Date.UTC(2023, 0, 1, 12, 0, 0)],
    ["hour 0 with PM keeps hour 0", "Jan 01, 2019 0:00:00 PM", Date.UTC(2019, 0, 1, 0, 0, 0)],
    ["epoch seconds", 1618253910, Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["epoch ms", 1618253910000, Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["epoch seconds as string", "1618253910", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["epoch ms as string", "1618253910000", Date.UTC(2021, 3, 12, 18, 58, 30)],
    ["Panther nanoseconds", "2026-01-11 22:54:56.000000000", Date.UTC(2026, 0, 11, 22, 54, 56)],
    ["Panther ms", "2024-01-01 00:00:00.123", Date.UTC(2024, 0, 1, 0, 0, 0, 123)],
    ["Panther seconds", "2021-10-19 00:56:05", Date.UTC(2021, 9, 19, 0, 56, 5)],
    ["Feb 29 of a leap year", "2024-02-29T12:00:00Z", Date.UTC(2024, 1, 29, 12)],
    ["Feb 29 of 2000 (leap: divisible by 400)", "2000-02-29T00:00:00Z", Date.UTC(2000, 1, 29)],
    ["Dec 31", "2023-12-31T23:59:59Z", Date.UTC(2023, 11, 31, 23, 59, 59)],
    ["a leap second is the second before", "2016-12-31T23:59:60Z", Date.UTC(2016, 11, 31, 23, 59, 59)],
  ])("%s: %s", (_label, input, expected) => {
    expect(parseAwsDate(input)).toBe(expected);
  });

  it.each([
    ["redacted"],
    ["..."],
    [""],
    ["2021-02-31T00:00:00Z"],
    ["2023-02-29T00:00:00Z"],
    ["1900-02-29T00:00:00Z"],
    // Date.UTC reads years 0-99 as 1900-1999, and 1900 was no leap year.
    ["0000-02-29T00:00:00Z"],
    ["2024-04-31T00:00:00Z"],
    ["2024-01-00T00:00:00Z"],
    ["Foo 1, 2021 10:00:00 AM"],
    ["2021-13-01T00:00:00Z"],
    ["2021-04-12T24:00:00Z"],
    ["2021-04-12T1x:58:30Z"],
    [null],
    [undefined],
    [{}],
    [Number.NaN],
    [-5],
    // Nanoseconds and microseconds since the epoch, and past what a Date holds: no time CloudTrail writes.
    ["1709373600000000000"],
    [1709373600000000],
    [8.64e15 + 1],
  ])("returns null for %j", (input) => {
    expect(parseAwsDate(input)).toBeNull();
  });
});
