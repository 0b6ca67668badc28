/**
 * The message that replaces the notice once it is decided: who decided, what was done, the
 * dollars saved. It carries no decision buttons, so nothing stale can be clicked from it;
 * the only button left is Restore, after a delete that saved an undo record.
 */
import type { Button, KnownBlock } from "@slack/types";
import { formatUsd } from "../../pricing/monthly-cost.ts";
import { ACTION, assertDecisionId } from "../action-ids.ts";
import { actionWords, resourceKind, resourceNoun, whatText, whereText } from "./describe-finding.ts";
import { slackDate } from "./format-date.ts";
import { escapeMrkdwn, LIMITS, md, mentionOrName, plain, truncate } from "./mrkdwn.ts";
import type { OutcomeInput, SlackMessage } from "./types.ts";

const EMOJI: Record<OutcomeInput["outcome"], string> = {
  approved: ":white_check_mark:",
  timeout: ":hourglass:",
  snoozed: ":zzz:",
  kept: ":lock:",
  cancelled: ":leftwards_arrow_with_hook:",
  failed: ":x:",
  restored: ":recycle:",
  skipped: ":fast_forward:",
};

function actor(input: OutcomeInput): string {
  return input.actor ? mentionOrName(input.actor) : "Someone";
}

function detail(input: OutcomeInput): string {
  return input.detail ? escapeMrkdwn(input.detail.replace(/\.\s*$/, "")) : "";
}

/** "Deleted SageMaker endpoint `x`" or undefined when nothing was done. */
function done(input: OutcomeInput): string | undefined {
  const action = input.actionTaken;
  if (action === undefined || action === "none") return undefined;
  return `${actionWords(action).past} ${whatText(input.finding)}`;
}

/** One mrkdwn sentence (or two) saying what happened. */
function headline(input: OutcomeInput): string {
  const what = whatText(input.finding);
  const did = done(input);
  const why = detail(input);
  switch (input.outcome) {
    case "approved":
      return did
        ? `${actor(input)} approved: *${did}*.`
        : `${actor(input)} approved; nothing needed doing${why ? `: ${why}` : ""}.`;
    case "timeout":
      return did
        ? `No answer by the deadline: *${did}*.`
        : `No answer by the deadline; nothing was done to ${what}${why ? `: ${why}` : ""}.`;
    case "snoozed": {
      const until = input.snoozedUntil ? ` until *${slackDate(input.snoozedUntil)}*` : "";
      return `${actor(input)} snoozed ${what}${until}. The janitor will look at it again after that.`;
    }
    case "kept":
      return `${actor(input)} is keeping ${what}. The janitor records the exemption and stops asking about it.`;
    case "cancelled":
      return `*Action cancelled*${why ? `: ${why}` : ""}. Nothing was done to ${what}.`;
    case "failed":
      return `*Could not finish* on ${what}${why ? `: ${why}` : ""}. Nothing else was changed.`;
    case "restored":
      return `${actor(input)} restored ${what} from its saved configuration.`;
    case "skipped":
      return `*Skipped*${why ? `: ${why}` : ""}. Nothing was done to ${what}.`;
    default: {
      const unknown: never = input.outcome;
      throw new Error(`unknown outcome ${String(unknown)}`);
    }
  }
}

/** Where the headline already tells the detail (the failure, the cancelling activity, why nothing was done). */
function detailInHeadline(input: OutcomeInput): boolean {
  switch (input.outcome) {
    case "cancelled":
    case "failed":
    case "skipped":
      return true;
    case "approved":
    case "timeout":
      return done(input) === undefined;
    default:
      return false;
  }
}

function savesMoney(input: OutcomeInput): boolean {
  return (
    (input.outcome === "approved" || input.outcome === "timeout") &&
    done(input) !== undefined &&
    (input.savedMonthlyUsd ?? 0) > 0
  );
}

function restoreButton(input: OutcomeInput): Button | undefined {
  const undoable =
    (input.actionTaken === "delete" || input.actionTaken === "configure") &&
    (input.outcome === "approved" || input.outcome === "timeout");
  if (!undoable || !input.undoAvailable) return undefined;
  const { finding } = input;
  const cost = formatUsd(finding.monthlyCostUsd);
  // Lifecycle changes (apply-lifecycle, and the rule abort-multipart adds) restore the previous rules only.
  const lifecycle = input.actionTaken === "configure" || finding.resource.type === "s3:multipart-uploads";
  return {
    type: "button",
    action_id: ACTION.restore,
    text: plain(`Restore ${resourceNoun(finding)}`, LIMITS.buttonText),
    value: input.decisionId,
    confirm: {
      title: plain(`Restore ${finding.resource.id}?`, LIMITS.confirmTitle),
      text: plain(
        lifecycle
          ? `Puts back the lifecycle configuration bucket ${finding.resource.id} had before (or none).` +
              (finding.resource.type === "s3:multipart-uploads" ? " Aborted uploads cannot be restored." : "")
          : `Recreates ${resourceKind(finding)} ${finding.resource.id} from its saved configuration, with its tags. ` +
              `It costs about ${cost} per month again.`,
        LIMITS.confirmText,
      ),
      confirm: plain("Restore", LIMITS.confirmButton),
      deny: plain("Cancel", LIMITS.confirmButton),
    },
  };
}

function plainFallback(input: OutcomeInput, line: string): string {
  // The notification text is mrkdwn too; keep it readable without the decorations.
  const saved = savesMoney(input) ? ` Saves ${formatUsd(input.savedMonthlyUsd ?? 0)} per month.` : "";
  return truncate(`${line.replace(/\*/g, "")}${saved}`, LIMITS.fallbackText);
}

export function buildOutcome(input: OutcomeInput): SlackMessage {
  assertDecisionId(input.decisionId);
  const line = headline(input);
  const fields = [
    md(`*What*\n${whatText(input.finding)}`, LIMITS.field),
    md(`*Where*\n${whereText(input.finding)}`, LIMITS.field),
  ];
  if (input.actor && input.outcome !== "timeout") {
    fields.push(md(`*Decided by*\n${mentionOrName(input.actor)}`, LIMITS.field));
  }
  if (savesMoney(input)) {
    fields.push(md(`*Saves*\n${formatUsd(input.savedMonthlyUsd ?? 0)} per month`, LIMITS.field));
  }
  const blocks: KnownBlock[] = [
    { type: "section", text: md(`${EMOJI[input.outcome]} ${line}`) },
    { type: "section", fields },
  ];
  if (input.outcome === "kept" && input.reason) {
    const quoted = escapeMrkdwn(input.reason)
      .split("\n")
      .map((l) => `>${l}`)
      .join("\n");
    blocks.push({ type: "section", text: md(`*Reason*\n${quoted}`) });
  }
  if (input.detail && !detailInHeadline(input)) {
    blocks.push({ type: "context", elements: [md(detail(input), LIMITS.contextText)] });
  }
  const restore = restoreButton(input);
  if (restore) blocks.push({ type: "actions", block_id: "janitor.undo", elements: [restore] });
  return { text: plainFallback(input, line), blocks };
}
