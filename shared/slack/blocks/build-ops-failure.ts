/**
 * The ops-channel note when a cleanup execution fails: which execution, which finding, the
 * error and its cause, so someone can look without opening the Step Functions console first.
 */
import { escapeMrkdwn, LIMITS, md, plain, truncate } from "./mrkdwn.ts";
import type { OpsFailureInput, SlackMessage } from "./types.ts";

interface LambdaCause {
  errorType?: unknown;
  errorMessage?: unknown;
}

/** A Lambda failure's Cause is JSON (`errorType`, `errorMessage`, `trace`): show the message, not the stack. */
function readableCause(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as LambdaCause;
    if (parsed && typeof parsed.errorMessage === "string") {
      const type = typeof parsed.errorType === "string" ? `${parsed.errorType}: ` : "";
      return `${type}${parsed.errorMessage}`;
    }
  } catch {
    // Not JSON: a plain cause string, shown as is.
  }
  return cause;
}

function codeBlock(text: string, max: number): string {
  return `\`\`\`${truncate(escapeMrkdwn(text.replace(/```/g, "'''")), max)}\`\`\``;
}

export function buildOpsFailure({ executionName, findingId, error, cause }: OpsFailureInput): SlackMessage {
  const why = readableCause(cause);
  const fields = [md(`*Execution*\n\`${escapeMrkdwn(executionName)}\``, LIMITS.field)];
  if (findingId) fields.push(md(`*Finding*\n\`${escapeMrkdwn(findingId)}\``, LIMITS.field));
  fields.push(md(`*Error*\n\`${escapeMrkdwn(error)}\``, LIMITS.field));
  return {
    text: escapeMrkdwn(truncate(`Cleanup workflow failed: ${executionName} (${error})`, LIMITS.fallbackText)),
    blocks: [
      { type: "header", text: plain(":rotating_light: Cleanup workflow failed", LIMITS.header) },
      { type: "section", fields },
      ...(why ? [{ type: "section" as const, text: md(`*Cause*\n${codeBlock(why, 2800)}`) }] : []),
      {
        type: "context",
        elements: [
          md(
            "The execution ended in its Fail state; its event history in the Step Functions console has the details.",
            LIMITS.contextText,
          ),
        ],
      },
    ],
  };
}
