/**
 * Dates as people read them in a message. In mrkdwn, `slackDate` lets each reader's Slack show
 * the deadline in their own time zone, with the UTC text as the fallback (notifications, old
 * clients); plain text (buttons, headers) and logs use the UTC forms below.
 */
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "Thu 26 Nov 14:00 UTC" */
export function formatDateTime(date: Date): string {
  return `${formatDay(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/**
 * `<!date^1764165600^{date_short_pretty} {time}|Thu 26 Nov 14:00 UTC>`: Slack renders it in the
 * reader's time zone ("Nov 26 3:00 PM", "tomorrow 9:00 AM"). Only for mrkdwn text.
 */
export function slackDate(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${formatDateTime(date)}>`;
}

/** "Thu 26 Nov" */
export function formatDay(date: Date): string {
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** "26 Nov 2025" */
export function formatDate(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "in 3 days", "in 24 hours", "in 45 minutes", "now": rounded to the nearest unit people use. */
export function formatRelative(now: Date, then: Date): string {
  const minutes = Math.round((then.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return "now";
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours <= 36) return `in ${hours} hours`;
  const days = Math.round(hours / 24);
  return `in ${days} days`;
}
