/**
 * The cost-anomaly alert: what rose, expected vs actual, the dollar impact so far and per day
 * if it continues, the usage types that drove it and the resources and owners behind them,
 * with buttons to acknowledge it as expected spend or open the related finding.
 */
import type { KnownBlock } from "@slack/types";
import type { Driver } from "../../cost/drill-down.ts";
import { ACTION } from "../action-ids.ts";
import { escapeMrkdwn, LIMITS, md, plain, truncate } from "./mrkdwn.ts";
import type { SlackMessage } from "./types.ts";

export interface CostAnomalyInput {
  /** Short id: the acknowledge button's value. */
  id: string;
  /** What rose, e.g. "Amazon SageMaker" or "team nlp". */
  subject: string;
  /** First anomalous day and the day shown (YYYY-MM-DD). */
  firstDate: string;
  date: string;
  actualUsd: number;
  expectedUsd: number;
  impactSoFarUsd: number;
  drivers: Driver[];
  /** Slack mentions of the owners (`<@U…>`) by email, where known. */
  ownerMentions?: Record<string, string>;
  /** AWS Cost Anomaly Detection saw it too. */
  awsAnomalyId?: string;
  /** Only AWS Cost Anomaly Detection saw it: its figures, averaged per day. */
  awsOnly?: boolean;
  /** Resource-level data was asked for but unavailable: said once, under the drivers. */
  resourceNote?: string;
  findingUrl?: string;
}

export const usd = (n: number) => `$${Math.round(n).toLocaleString("en-US")}`;

export function buildCostAnomaly(input: CostAnomalyInput): SlackMessage {
  const perDay = input.actualUsd - input.expectedUsd;
  const subject = escapeMrkdwn(input.subject);
  const lines = input.drivers.map((d) => {
    const who = d.resources.map((r) => {
      const owner = r.owner ? ` — ${input.ownerMentions?.[r.owner] ?? escapeMrkdwn(r.owner)}` : "";
      const size = r.instanceCount
        ? ` (${r.instanceCount}× ${escapeMrkdwn(r.instanceType)})`
        : r.instanceType
          ? ` (${escapeMrkdwn(r.instanceType)})`
          : "";
      // Resource-level data: what this resource was billed that day, and the ARN billed.
      const cost = r.costUsd !== undefined ? `: ${usd(r.costUsd)} on ${input.date}` : "";
      const arn = r.arn && r.arn !== r.name ? `\n      \`${escapeMrkdwn(r.arn)}\`` : "";
      return `${r.kind} \`${escapeMrkdwn(r.name)}\`${size}${cost}${owner}${arn}`;
    });
    const tags = Object.entries(d.tags).map(([k, v]) => `${k}=${v}`);
    return `• \`${escapeMrkdwn(d.usageType)}\`${tags.length ? ` [${escapeMrkdwn(tags.join(", "))}]` : ""}: ${usd(d.actualUsd)} vs ${usd(d.expectedUsd)} expected${who.length ? `\n    ${who.join("\n    ")}` : ""}`;
  });
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: plain(`:chart_with_upwards_trend: Cost anomaly: ${input.subject}`, LIMITS.header),
    },
    {
      type: "section",
      fields: [
        md(
          `*Day*\n${input.date}${input.firstDate !== input.date ? ` (since ${input.firstDate})` : ""}`,
          LIMITS.field,
        ),
        md(`*Actual vs expected*\n${usd(input.actualUsd)} vs ${usd(input.expectedUsd)}`, LIMITS.field),
        md(`*Impact so far*\n${usd(input.impactSoFarUsd)}`, LIMITS.field),
        md(`*If it continues*\n+${usd(perDay)}/day, +${usd(perDay * 30)}/30 days`, LIMITS.field),
      ],
    },
  ];
  if (lines.length)
    blocks.push({ type: "section", text: md(`*Top drivers*\n${truncate(lines.join("\n"), 2900)}`) });
  if (input.resourceNote) {
    blocks.push({ type: "context", elements: [md(escapeMrkdwn(input.resourceNote))] });
  }
  if (input.awsAnomalyId) {
    blocks.push({
      type: "context",
      elements: [
        md(
          input.awsOnly
            ? `Found by AWS Cost Anomaly Detection (\`${escapeMrkdwn(input.awsAnomalyId)}\`): its totals since ${input.firstDate}, shown per day.`
            : `Also flagged by AWS Cost Anomaly Detection (\`${escapeMrkdwn(input.awsAnomalyId)}\`).`,
        ),
      ],
    });
  }
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: ACTION.ackAnomaly,
        text: plain("Expected spend"),
        value: input.id,
        confirm: {
          title: plain("Acknowledge as expected?"),
          text: md(
            `From ${input.date}, about ${usd(input.actualUsd)}/day of ${subject} becomes the new normal.`,
          ),
          confirm: plain("Acknowledge"),
          deny: plain("Cancel"),
        },
      },
      ...(input.findingUrl
        ? [
            {
              type: "button" as const,
              action_id: ACTION.openFinding,
              text: plain("Open finding"),
              url: input.findingUrl,
            },
          ]
        : []),
    ],
  });
  return {
    text: truncate(
      `Cost anomaly: ${subject} ${usd(input.actualUsd)} on ${input.date} vs ${usd(input.expectedUsd)} expected (+${usd(perDay)}/day)`,
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

/** A thread reply for a later day of the same anomaly. */
export function buildCostAnomalyUpdate(
  input: Pick<CostAnomalyInput, "date" | "actualUsd" | "expectedUsd" | "impactSoFarUsd">,
): SlackMessage {
  const text = `${input.date}: still ${usd(input.actualUsd)} vs ${usd(input.expectedUsd)} expected; impact so far ${usd(input.impactSoFarUsd)}.`;
  return { text, blocks: [{ type: "section", text: md(text) }] };
}
