/** Messages as a person scrolls them: per conversation, in order, each with its thread replies. */
import type { RecordedMessage } from "./server.ts";

export interface TranscriptThread {
  message: RecordedMessage;
  replies: RecordedMessage[];
}

export interface TranscriptConversation {
  channel: string;
  channelName: string;
  threads: TranscriptThread[];
}

/** Slack ts strings ("1700000000.000123") sort as numbers. */
export function compareTs(a: string, b: string): number {
  return Number(a) - Number(b);
}

export function conversations(messages: readonly RecordedMessage[]): TranscriptConversation[] {
  const byChannel = new Map<string, TranscriptConversation>();
  const sorted = [...messages].sort((a, b) => compareTs(a.ts, b.ts));
  for (const m of sorted) {
    let conversation = byChannel.get(m.channel);
    if (!conversation) {
      conversation = { channel: m.channel, channelName: m.channelName, threads: [] };
      byChannel.set(m.channel, conversation);
    }
    const parent = m.threadTs ? conversation.threads.find((t) => t.message.ts === m.threadTs) : undefined;
    if (parent) parent.replies.push(m);
    else conversation.threads.push({ message: m, replies: [] });
  }
  return [...byChannel.values()];
}

/** "Thu 26 Nov 14:00 UTC" from a Slack ts. */
export function tsTime(ts: string): string {
  const d = new Date(Number(ts) * 1000);
  const day = d.toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${day.replace(",", "")} ${time} UTC`;
}
