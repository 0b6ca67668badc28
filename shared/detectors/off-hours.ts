/**
 * Off-hours arithmetic for the "running through nights and weekends" policy of `idle-notebook`
 * and `idle-studio-app`: how much of an interval fell into the team's off-hours, in the team's
 * time zone. Wall-clock times come from `Intl` (no time-zone package), so daylight-saving
 * changes are honoured: the night a clock springs forward is an hour shorter.
 */
import { z } from "zod";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";
const NIGHTS = new RegExp(`^${HHMM}-${HHMM}$`);

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timezoneParam = z
  .string()
  .refine(isTimeZone, { message: 'an IANA time zone such as "UTC", "Europe/Berlin" or "America/New_York"' })
  .default("UTC");

export const offHoursParam = z
  .strictObject({
    /** Every night, local time, "HH:MM-HH:MM" (crossing midnight is fine); null for none. */
    nights: z
      .string()
      .regex(NIGHTS, 'a local time range such as "20:00-07:00"')
      .refine((s) => s.slice(0, 5) !== s.slice(6), { message: "start and end must differ" })
      .nullable()
      .default("20:00-07:00"),
    /** Whole days off, local time. */
    weekendDays: z.array(z.enum(WEEKDAYS)).default(["sat", "sun"]),
  })
  .default({ nights: "20:00-07:00", weekendDays: ["sat", "sun"] });

export type OffHours = z.infer<typeof offHoursParam>;

export interface OffHoursSchedule extends OffHours {
  timezone: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall time minus UTC at instant `t`, in ms (e.g. +3,600,000 for CET). */
export function tzOffsetMs(tz: string, t: number): number {
  const second = Math.floor(t / 1000) * 1000;
  const key = `${tz}|${second}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(second))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = wall - second;
  // The cache only saves Intl calls; bound it so a long-lived process does not grow forever.
  if (offsets.size > 200_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

interface Compiled {
  weekend: Set<number>;
  /** Off intervals of a working day, in ms since local midnight. */
  night: Array<[number, number]>;
  timezone: string;
}

function compile(s: OffHoursSchedule): Compiled {
  const night: Array<[number, number]> = [];
  if (s.nights) {
    const [start, end] = s.nights.split("-").map((hhmm) => {
      const [h, m] = hhmm.split(":").map(Number);
      return (h! * 60 + m!) * MINUTE;
    }) as [number, number];
    if (start < end) night.push([start, end]);
    else night.push([0, end], [start, DAY]);
  }
  return { weekend: new Set(s.weekendDays.map((d) => WEEKDAYS.indexOf(d))), night, timezone: s.timezone };
}

/** Off-hours ms within a range of *local* wall time (expressed as if it were UTC). */
function offInLocalRange(a: number, b: number, c: Compiled): number {
  let total = 0;
  let x = a;
  while (x < b) {
    const midnight = Math.floor(x / DAY) * DAY;
    const y = Math.min(b, midnight + DAY);
    if (c.weekend.has(new Date(midnight).getUTCDay())) total += y - x;
    else {
      for (const [s, e] of c.night) {
        const lo = Math.max(x, midnight + s);
        const hi = Math.min(y, midnight + e);
        if (hi > lo) total += hi - lo;
      }
    }
    x = y;
  }
  return total;
}

/** Off-hours ms within the UTC range [a, b), which lies inside one UTC hour. */
function offInUtcRange(a: number, b: number, c: Compiled): number {
  const offA = tzOffsetMs(c.timezone, a);
  const offB = tzOffsetMs(c.timezone, b - 1);
  if (offA === offB) return offInLocalRange(a + offA, b + offA, c);
  // A clock change inside this hour (rare): minute by minute, each with its own offset.
  let total = 0;
  for (let x = a; x < b; x = Math.min(b, Math.floor(x / MINUTE) * MINUTE + MINUTE)) {
    const y = Math.min(b, Math.floor(x / MINUTE) * MINUTE + MINUTE);
    const off = tzOffsetMs(c.timezone, x);
    total += offInLocalRange(x + off, y + off, c);
  }
  return total;
}

/**
 * A calculator for one schedule: how many ms of [from, to) fell into off-hours. Whole UTC hours
 * are memoized, so judging a thousand resources over the same weeks costs little.
 */
export function offHoursCounter(schedule: OffHoursSchedule): (from: Date, to: Date) => number {
  const c = compile(schedule);
  const hours = new Map<number, number>();
  const wholeHour = (h: number) => {
    let v = hours.get(h);
    if (v === undefined) {
      v = offInUtcRange(h, h + HOUR, c);
      hours.set(h, v);
    }
    return v;
  };
  return (from, to) => {
    const a = from.getTime();
    const b = to.getTime();
    let total = 0;
    for (let h = Math.floor(a / HOUR) * HOUR; h < b; h += HOUR) {
      const lo = Math.max(a, h);
      const hi = Math.min(b, h + HOUR);
      if (hi <= lo) continue;
      total += lo === h && hi === h + HOUR ? wholeHour(h) : offInUtcRange(lo, hi, c);
    }
    return total;
  };
}

/** Hours of [from, to) in off-hours, for one-off questions (tests, evidence). */
export function offHoursBetween(from: Date, to: Date, schedule: OffHoursSchedule): number {
  return offHoursCounter(schedule)(from, to) / HOUR;
}

/** "nights 20:00-07:00 and sat, sun all day, Europe/Berlin": how evidence describes a schedule. */
export function describeSchedule(s: OffHoursSchedule): string {
  const parts: string[] = [];
  if (s.nights) parts.push(`nights ${s.nights}`);
  if (s.weekendDays.length > 0) parts.push(`${s.weekendDays.join(", ")} all day`);
  return `${parts.join(" and ") || "no off-hours"}, ${s.timezone}`;
}
