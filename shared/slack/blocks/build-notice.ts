/**
 * The notice: what, where, owner, why, $ per month, what happens when, how to stop it, and the
 * buttons. Pure: the deadline and "now" come in, so the same input always gives the same message.
 */
import type { ActionsBlockElement, Button, KnownBlock, PlainTextOption, StaticSelect } from "@slack/types";
import { formatUsd } from "../../pricing/monthly-cost.ts";
import { ACTION, assertDecisionId } from "../action-ids.ts";
import {
  actionWords,
  evidenceLines,
  ownerText,
  resourceKind,
  resourceNoun,
  whatText,
  whereText,
} from "./describe-finding.ts";
import { formatDateTime, formatRelative, slackDate } from "./format-date.ts";
import { code, escapeMrkdwn, LIMITS, md, plain, truncate } from "./mrkdwn.ts";
import type { NoticeInput, SlackMessage } from "./types.ts";

const DEFAULT_SNOOZE_DAYS = 7;
const DEFAULT_PROTECT_TAG = "janitor:protect";

/** What Approve does: only `enforce` policies act, and only when the finding proposes stop, delete or configure. */
export function approveAction(input: NoticeInput): "stop" | "delete" | "configure" | undefined {
  if (input.mode !== "enforce") return undefined;
  const proposed = input.finding.proposedAction;
  return proposed === "stop" || proposed === "delete" || proposed === "configure" ? proposed : undefined;
}

/** What the re-check before acting looks at, in words. */
function lastCheck(action: "stop" | "delete" | "configure"): string {
  return action === "configure"
    ? "after a last check that its lifecycle rules have not changed"
    : "after a last check that it is still unused";
}

/** The timeout action that will really run, or undefined when nothing happens by itself. */
function effectiveTimeoutAction(input: NoticeInput): "stop" | "delete" | "configure" | undefined {
  if (input.mode !== "enforce" || input.protectedFromTimeout || input.timeoutAction === "none")
    return undefined;
  return input.timeoutAction;
}

/** The "what happens when" sentence, mrkdwn, and why the terms are tighter when they are. */
function whatHappens(input: NoticeInput, reminder: boolean): string {
  const base = baseWhatHappens(input, reminder);
  return input.tightened ? `${base}\n:lock: ${escapeMrkdwn(input.tightened)}` : base;
}

function baseWhatHappens(input: NoticeInput, reminder: boolean): string {
  const approve = approveAction(input);
  const approveHint = approve
    ? ` *Approve now* ${actionWords(approve).present.toLowerCase()} it ${lastCheck(approve)}.`
    : "";
  const timeout = effectiveTimeoutAction(input);
  if (timeout) {
    const when = slackDate(input.deadline);
    const relative = formatRelative(input.now, input.deadline);
    const verb = actionWords(timeout).present;
    return reminder
      ? `:alarm_clock: *${verb} ${relative}* (${when}) unless you choose.`
      : `:alarm_clock: *${verb} on ${when}* (${relative}) unless you choose.`;
  }
  if (input.mode === "enforce" && input.protectedFromTimeout) {
    return `It won't be touched automatically: ${escapeMrkdwn(input.protectedFromTimeout)}.${approveHint}`;
  }
  return `Nothing happens automatically; this is a notice.${approveHint}`;
}

function snoozeChoices(days: number[]): number[] {
  const valid = [...new Set(days)].filter((d) => Number.isInteger(d) && d >= 1 && d <= 365);
  const rest = valid.filter((d) => d !== DEFAULT_SNOOZE_DAYS).sort((a, b) => a - b);
  return valid.includes(DEFAULT_SNOOZE_DAYS) ? [DEFAULT_SNOOZE_DAYS, ...rest] : rest;
}

function snoozeLabel(days: number): string {
  return `Snooze ${days} day${days === 1 ? "" : "s"}`;
}

function approveButton(input: NoticeInput, action: "stop" | "delete" | "configure"): Button {
  const words = actionWords(action);
  const { finding } = input;
  const consequence =
    action === "delete"
      ? finding.resource.type === "sagemaker:endpoint"
        ? "Its configuration, variants and tags are saved first, so it can be restored."
        : "This cannot be undone from Slack."
      : action === "configure"
        ? "The previous configuration is saved first, so it can be put back."
        : "It can be started again at any time.";
  return {
    type: "button",
    action_id: ACTION.approve,
    text: plain("Approve now", LIMITS.buttonText),
    style: "primary",
    value: input.decisionId,
    confirm: {
      title: plain(`${words.imperative} ${finding.resource.id}?`, LIMITS.confirmTitle),
      text: plain(
        `${words.present} ${resourceKind(finding)} ${finding.resource.id} in ${finding.resource.region} now, ` +
          `${lastCheck(action)}. ${consequence}`,
        LIMITS.confirmText,
      ),
      confirm: plain(`${words.imperative} now`, LIMITS.confirmButton),
      deny: plain("Cancel", LIMITS.confirmButton),
      style: action === "delete" ? "danger" : "primary",
    },
  };
}

function snoozeSelect(input: NoticeInput, days: number[]): StaticSelect {
  const options: PlainTextOption[] = days.map((d) => ({
    text: plain(snoozeLabel(d), LIMITS.optionText),
    value: `${input.decisionId}:${d}`,
  }));
  return {
    type: "static_select",
    action_id: ACTION.snooze,
    placeholder: plain("Snooze…", LIMITS.optionText),
    options,
  };
}

function buttons(input: NoticeInput): ActionsBlockElement[] {
  const elements: ActionsBlockElement[] = [];
  const approve = approveAction(input);
  if (approve) elements.push(approveButton(input, approve));
  const days = snoozeChoices(input.snoozeDays);
  if (days.length > 0) elements.push(snoozeSelect(input, days));
  elements.push({
    type: "button",
    action_id: ACTION.keep,
    text: plain(`Keep this ${resourceNoun(input.finding)}`, LIMITS.buttonText),
    value: input.decisionId,
  });
  elements.push({
    type: "button",
    action_id: ACTION.openConsole,
    text: plain("Open in AWS console", LIMITS.buttonText),
    url: input.consoleUrl,
    value: input.decisionId,
  });
  return elements;
}

/** A configure finding's dollars are what the change saves, not what the resource costs. */
function costVerb(finding: NoticeInput["finding"]): string {
  return finding.proposedAction === "configure" ? "could save" : "costs";
}

function fallbackText(input: NoticeInput, reminder: boolean): string {
  const { finding } = input;
  const timeout = effectiveTimeoutAction(input);
  const when = timeout
    ? `${actionWords(timeout).present} ${reminder ? formatRelative(input.now, input.deadline) : `on ${formatDateTime(input.deadline)}`} unless you choose.`
    : "Nothing happens automatically.";
  const text =
    `${reminder ? "Reminder: " : ""}${resourceKind(finding)} ${finding.resource.id} (${finding.resource.region}) ` +
    `${costVerb(finding)} ${formatUsd(finding.monthlyCostUsd)} per month: ${finding.reason.replace(/\.\s*$/, "")}. ${when}`;
  return escapeMrkdwn(truncate(text, LIMITS.fallbackText));
}

/** Shared by the notice and the one reminder. */
export function composeNotice(input: NoticeInput, reminder: boolean): SlackMessage {
  assertDecisionId(input.decisionId);
  const { finding } = input;
  const protectTag = input.protectTag ?? DEFAULT_PROTECT_TAG;
  const cost = formatUsd(finding.monthlyCostUsd);
  const headline = reminder
    ? `Reminder: ${resourceKind(finding)} ${finding.resource.id}`
    : `${resourceKind(finding)} ${finding.resource.id} ${costVerb(finding)} ${cost}/month`;
  const why = [escapeMrkdwn(finding.reason), ...evidenceLines(finding).map((line) => `• ${line}`)].join("\n");
  const blocks: KnownBlock[] = [
    { type: "header", text: plain(headline, LIMITS.header) },
    {
      type: "section",
      fields: [
        md(`*What*\n${whatText(finding)}`, LIMITS.field),
        md(`*Where*\n${whereText(finding)}`, LIMITS.field),
        md(`*Owner*\n${ownerText(finding, input.ownerMention)}`, LIMITS.field),
        md(
          `*${finding.proposedAction === "configure" ? "Could save" : "Costs"}*\n${cost} per month`,
          LIMITS.field,
        ),
      ],
    },
    { type: "section", text: md(`*Why*\n${why}`) },
    { type: "section", text: md(`*What happens*\n${whatHappens(input, reminder)}`) },
    {
      type: "context",
      elements: [
        md(
          `To keep it, press *Keep* (you'll be asked why) or tag it ${code(protectTag)}. ` +
            `Snooze asks again later. Policy ${code(input.policyName)} · list prices.`,
          LIMITS.contextText,
        ),
      ],
    },
    { type: "actions", block_id: "janitor.decide", elements: buttons(input) },
  ];
  return { text: fallbackText(input, reminder), blocks };
}

export function buildNotice(input: NoticeInput): SlackMessage {
  return composeNotice(input, false);
}
