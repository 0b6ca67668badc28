/**
 * Time expressions in scenario files, resolved against `now` so a scenario stays true
 * whenever it is loaded:
 *   "now" · "-14d" · "-3h" · "-90m" · "-1d12h" · "+2h" (units s m h d w)
 *   "last fri 18:00" — the latest Friday 18:00 UTC at or before now
 *   "last fri 18:00 before -48h" — the same, at or before now − 48h
 *   an ISO instant with its zone, e.g. "2025-03-01T00:00:00Z", or a date ("2025-03-01", UTC midnight)
 */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^([+-])((?:\d+(?:\.\d+)?[smhdw])+)$/;
const WEEKDAY = /^last (sun|mon|tue|wed|thu|fri|sat) (\d{2}):(\d{2})(?: before (.+))?$/;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const ISO = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;

/** A duration such as "1h", "5m" or "1d12h", in ms. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}

/** Epoch ms, or undefined when the text is not a time expression. */
export function resolveTime(text: string, now: number): number | undefined {
  if (text === "now") return now;
  const rel = RELATIVE.exec(text);
  if (rel) {
    const d = parseDuration(rel[2]!)!;
    return rel[1] === "-" ? now - d : now + d;
  }
  const wd = WEEKDAY.exec(text);
  if (wd) {
    const anchor = wd[4] === undefined ? now : resolveTime(wd[4], now);
    if (anchor === undefined) return undefined;
    const hour = Number(wd[2]);
    const minute = Number(wd[3]);
    if (hour > 23 || minute > 59) return undefined;
    const a = new Date(anchor);
    const back = (a.getUTCDay() - DAYS.indexOf(wd[1]!) + 7) % 7;
    let t = Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate() - back, hour, minute);
    if (t > anchor) t -= UNIT_MS["w"]!;
    return t;
  }
  if (ISO.test(text)) {
    const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export const isTimeExpression = (text: string): boolean => resolveTime(text, 0) !== undefined;

/** YYYY-MM-DD (UTC) of an instant. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
