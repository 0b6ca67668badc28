import { composeNotice } from "./build-notice.ts";
import type { NoticeInput, SlackMessage } from "./types.ts";

/** The one final reminder ("Stops in 24 hours unless you choose"), with the same choices as the notice. */
export function buildReminder(input: NoticeInput): SlackMessage {
  return composeNotice(input, true);
}
