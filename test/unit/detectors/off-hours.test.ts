import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  type OffHoursSchedule,
  offHoursBetween,
  offHoursCounter,
  tzOffsetMs,
} from "../../../shared/detectors/off-hours.ts";

const schedule = (timezone: string, overrides: Partial<OffHoursSchedule> = {}): OffHoursSchedule => ({
  nights: "20:00-07:00",
  weekendDays: ["sat", "sun"],
  timezone,
  ...overrides,
});
const hours = (from: string, to: string, s: OffHoursSchedule) =>
  offHoursBetween(new Date(from), new Date(to), s);

describe("off-hours", () => {
  it("counts a weekend in UTC: Friday evening, Saturday, Sunday, early Monday", () => {
    expect(hours("2026-11-20T17:00:00Z", "2026-11-23T09:00:00Z", schedule("UTC"))).toBe(4 + 48 + 7);
  });

  it("counts nothing during working hours and a whole weekday night otherwise", () => {
    expect(hours("2026-11-18T08:00:00Z", "2026-11-18T19:00:00Z", schedule("UTC"))).toBe(0);
    expect(hours("2026-11-18T12:00:00Z", "2026-11-19T12:00:00Z", schedule("UTC"))).toBe(11);
  });

  it("reads the weekend in the schedule's time zone", () => {
    // The same UTC interval is Fri 12:00 → Mon 04:00 in New York (EST, UTC-5).
    expect(hours("2026-11-20T17:00:00Z", "2026-11-23T09:00:00Z", schedule("America/New_York"))).toBe(
      4 + 48 + 4,
    );
    // ... and Sat 02:00 → Mon 18:00 in Tokyo (UTC+9): all of the weekend that is left, Monday 00:00-07:00.
    expect(hours("2026-11-20T17:00:00Z", "2026-11-23T09:00:00Z", schedule("Asia/Tokyo"))).toBe(46 + 7);
  });

  it("handles half-hour and 45-minute offsets", () => {
    // India (UTC+5:30): Wed 12:00Z → Thu 12:00Z is Wed 17:30 → Thu 17:30 local: one 11-hour night.
    expect(hours("2026-11-18T12:00:00Z", "2026-11-19T12:00:00Z", schedule("Asia/Kolkata"))).toBe(11);
    // Nepal (UTC+5:45): Wed 14:00Z is 19:45 local; the night starts 15 minutes later.
    expect(hours("2026-11-18T14:00:00Z", "2026-11-18T15:00:00Z", schedule("Asia/Kathmandu"))).toBe(0.75);
  });

  it("makes the night the clocks spring forward an hour shorter (Europe/Berlin, 29 March 2026)", () => {
    const s = schedule("Europe/Berlin", { weekendDays: [] });
    // Sat 20:00 CET (19:00Z) → Sun 07:00 CEST (05:00Z): 10 real hours.
    expect(hours("2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", s)).toBe(10);
    expect(hours("2026-03-28T19:00:00Z", "2026-03-29T05:00:00Z", s)).toBe(10);
  });

  it("makes the night the clocks fall back an hour longer (Europe/Berlin, 25 October 2026)", () => {
    const s = schedule("Europe/Berlin", { weekendDays: [] });
    expect(hours("2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", s)).toBe(12);
  });

  it("gets US daylight saving right, at 2 a.m. local (America/New_York, 8 March 2026)", () => {
    const s = schedule("America/New_York", { weekendDays: [] });
    // Sat 20:00 EST (Sun 01:00Z) → Sun 07:00 EDT (11:00Z): 10 real hours.
    expect(hours("2026-03-07T18:00:00Z", "2026-03-08T18:00:00Z", s)).toBe(10);
    expect(tzOffsetMs("America/New_York", Date.parse("2026-03-08T06:59:59Z"))).toBe(-5 * 3_600_000);
    expect(tzOffsetMs("America/New_York", Date.parse("2026-03-08T07:00:00Z"))).toBe(-4 * 3_600_000);
  });

  it("handles a clock change that is not on a UTC hour (Lord Howe Island, 30 minutes, 5 April 2026)", () => {
    // Lord Howe falls back from UTC+11 to UTC+10:30 at 02:00 local (15:00Z); count a whole day
    // minute by minute and compare.
    const s = schedule("Australia/Lord_Howe", { weekendDays: [] });
    const from = Date.parse("2026-04-04T12:00:00Z");
    let expected = 0;
    for (let t = from; t < from + 86_400_000; t += 60_000) {
      const local = new Date(t + tzOffsetMs("Australia/Lord_Howe", t));
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
      if (minute >= 20 * 60 || minute < 7 * 60) expected += 1 / 60;
    }
    expect(hours("2026-04-04T12:00:00Z", "2026-04-05T12:00:00Z", s)).toBeCloseTo(expected, 6);
  });

  it("supports nights that do not cross midnight, no nights, and other weekends", () => {
    expect(
      hours("2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z", schedule("UTC", { nights: "01:00-05:30" })),
    ).toBe(4.5);
    const friSat = schedule("UTC", { nights: null, weekendDays: ["fri", "sat"] });
    expect(hours("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", friSat)).toBe(48);
    expect(describeSchedule(friSat)).toBe("fri, sat all day, UTC");
    expect(describeSchedule(schedule("Europe/Berlin"))).toBe(
      "nights 20:00-07:00 and sat, sun all day, Europe/Berlin",
    );
  });

  it("counts partial hours at both ends exactly and nothing for an empty interval", () => {
    expect(hours("2026-11-18T19:30:00Z", "2026-11-18T20:15:00Z", schedule("UTC"))).toBe(0.25);
    expect(hours("2026-11-18T21:00:00Z", "2026-11-18T21:00:00Z", schedule("UTC"))).toBe(0);
  });

  it("answers the same from one counter reused across resources", () => {
    const count = offHoursCounter(schedule("Europe/Berlin"));
    const a = count(new Date("2026-10-01T00:00:00Z"), new Date("2026-11-10T00:00:00Z"));
    const b = count(new Date("2026-10-01T00:00:00Z"), new Date("2026-11-10T00:00:00Z"));
    expect(a).toBe(b);
    expect(a / 3_600_000).toBe(
      offHoursBetween(
        new Date("2026-10-01T00:00:00Z"),
        new Date("2026-11-10T00:00:00Z"),
        schedule("Europe/Berlin"),
      ),
    );
  });
});
