/** Durations in the config are written like "3d", "24h", "90m", "45s". */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

export const DURATION_PATTERN = /^(\d+)(s|m|h|d|w)$/;

export function parseDurationSeconds(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration (use e.g. 90m, 24h, 3d, 2w)`);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

export const DAY_MS = 86_400_000;
export const HOURS_PER_MONTH = 730;

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
