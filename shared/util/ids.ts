import { createHash } from "node:crypto";

/**
 * A finding id is stable across runs (same detector + same resource → same id) and
 * safe as a DynamoDB key, a Step Functions execution name and a CLI argument.
 */
export function findingId(detector: string, resourceArn: string): string {
  const digest = createHash("sha256").update(`${detector}\n${resourceArn}`).digest("hex");
  return `${detector}-${digest.slice(0, 12)}`;
}
