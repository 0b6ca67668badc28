/**
 * A budget threshold reached: month-to-date actual and the month-end forecast (and where it
 * came from), the threshold and its basis, and whoever the escalation ladder names.
 */
import type { KnownBlock } from "@slack/types";
import { usd } from "./build-cost-anomaly.ts";
import { escapeMrkdwn, LIMITS, md, plain, truncate } from "./mrkdwn.ts";
import type { SlackMessage } from "./types.ts";

export interface BudgetAlertInput {
  budgetName: string;
  /** "team nlp", "project llm-finetune", "the account" */
  scopeLabel: string;
  month: string;
  percent: number;
  basis: "actual" | "forecast";
  budgetUsd: number;
  actualUsd: number;
  forecastUsd: number;
  forecastSource: "cost-explorer" | "own-model";
  /** Mentions to add (`<@U…>`, `<!subteam^S…>`), from the escalation ladder. */
  mentions: string[];
  /** What the janitor tightened for this scope, until when (describeTightening), if anything. */
  tightening?: string;
}

export function buildBudgetAlert(input: BudgetAlertInput): SlackMessage {
  const what =
    input.basis === "actual"
      ? `has spent ${input.percent}% of its budget`
      : `is forecast to reach ${input.percent}% of its budget`;
  const headline = `${input.scopeLabel} ${what} for ${input.month}`;
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: plain(
        `:money_with_wings: Budget ${input.budgetName}: ${input.percent}% ${input.basis}`,
        LIMITS.header,
      ),
    },
    {
      type: "section",
      text: md(`*${escapeMrkdwn(headline)}*${input.mentions.length ? `\n${input.mentions.join(" ")}` : ""}`),
    },
    {
      type: "section",
      fields: [
        md(`*Budget*\n${usd(input.budgetUsd)}`, LIMITS.field),
        md(
          `*Month to date*\n${usd(input.actualUsd)} (${Math.round((input.actualUsd / input.budgetUsd) * 100)}%)`,
          LIMITS.field,
        ),
        md(
          `*Forecast to month end*\n${usd(input.forecastUsd)} (${Math.round((input.forecastUsd / input.budgetUsd) * 100)}%)`,
          LIMITS.field,
        ),
        md(
          `*Forecast by*\n${input.forecastSource === "cost-explorer" ? "Cost Explorer" : "janitor's daily model"}`,
          LIMITS.field,
        ),
      ],
    },
  ];
  if (input.tightening) {
    blocks.push({
      type: "context",
      elements: [md(`:lock: Janitor tightened: ${escapeMrkdwn(input.tightening)}.`)],
    });
  }
  return { text: truncate(`Budget ${input.budgetName}: ${headline}`, LIMITS.fallbackText), blocks };
}
