import { optObject, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { ceValidation } from "./expression.ts";
import { costAndUsage } from "./get-cost-and-usage.ts";

/** How far back resource-level data reaches (AWS: "the start date cannot be earlier than 14 days ago"). */
export const RESOURCE_DATA_DAYS = 14;

/**
 * GetCostAndUsageWithResources: GetCostAndUsage plus the RESOURCE_ID dimension (a daily cost
 * row's `resourceId`; rows without one group as "NoResourceId"). Checked like AWS: a Filter is
 * required and the period may not start more than 14 days ago. The opt-in is assumed on: an
 * account without it is a test's concern (aws-sdk-client-mock), not the scenario's.
 */
export const GetCostAndUsageWithResources: JsonHandler = (input, ctx) => {
  if (!optObject(input, "Filter")) {
    throw ceValidation("Filter is required for GetCostAndUsageWithResources.");
  }
  const period = optObject(input, "TimePeriod");
  if (!period) throw ceValidation("TimePeriod is required.");
  const start = reqString(period, "Start");
  const today = new Date(ctx.now).toISOString().slice(0, 10);
  const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - RESOURCE_DATA_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  if (start < earliest) {
    throw ceValidation(
      `Resource-level data is only available for the last ${RESOURCE_DATA_DAYS} days: the start date cannot be earlier than ${earliest}.`,
    );
  }
  return costAndUsage(input, ctx, { op: "GetCostAndUsageWithResources", resources: true });
};
