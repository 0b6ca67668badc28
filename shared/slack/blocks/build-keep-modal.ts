/**
 * The modal Keep opens (views.open with the click's trigger_id): one required reason. The
 * decision id rides in private_metadata; the reason comes back in a view_submission.
 */
import type { ModalView } from "@slack/types";
import { formatUsd } from "../../pricing/monthly-cost.ts";
import type { Finding } from "../../types.ts";
import { assertDecisionId, KEEP_REASON_VIEW } from "../action-ids.ts";
import { whatText } from "./describe-finding.ts";
import { LIMITS, md, plain } from "./mrkdwn.ts";

export const KEEP_REASON_MAX_LENGTH = 500;

export function buildKeepModal({ decisionId, finding }: { decisionId: string; finding: Finding }): ModalView {
  assertDecisionId(decisionId);
  return {
    type: "modal",
    callback_id: KEEP_REASON_VIEW.callbackId,
    private_metadata: decisionId,
    title: plain("Keep this resource", LIMITS.modalTitle),
    submit: plain("Keep it", LIMITS.modalTitle),
    close: plain("Cancel", LIMITS.modalTitle),
    blocks: [
      {
        type: "section",
        text: md(
          `Keep ${whatText(finding)} (${formatUsd(finding.monthlyCostUsd)} per month)? ` +
            "The janitor records an exemption and stops asking about it. " +
            "Your reason goes into the audit log and the message thread.",
        ),
      },
      {
        type: "input",
        block_id: KEEP_REASON_VIEW.blockId,
        label: plain("Why keep it?", 2000),
        element: {
          type: "plain_text_input",
          action_id: KEEP_REASON_VIEW.actionId,
          multiline: true,
          min_length: 3,
          max_length: KEEP_REASON_MAX_LENGTH,
          placeholder: plain("e.g. customer demo on Friday; traffic starts next week", 150),
        },
        optional: false,
      },
    ],
  };
}
