import { escapeMrkdwn, LIMITS, md, truncate } from "./mrkdwn.ts";
import type { SlackMessage } from "./types.ts";

/**
 * A short reply in the notice's thread ("Activity since the notice: 42 invocations on 25 Nov —
 * action cancelled."). The text is escaped unless the caller built it as mrkdwn itself
 * (`trustedMrkdwn`, e.g. to mention someone): user-controlled values must not ping channels.
 */
export function buildThreadNote(text: string, options: { trustedMrkdwn?: boolean } = {}): SlackMessage {
  const body = truncate(options.trustedMrkdwn ? text : escapeMrkdwn(text), LIMITS.sectionText);
  return { text: body, blocks: [{ type: "section", text: md(body) }] };
}
