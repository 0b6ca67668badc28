import { optObject, optString, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { ceValidation } from "./expression.ts";

/**
 * GetAnomalies for an account with no Cost Anomaly Detection monitor (the sandbox has none):
 * validated like AWS, answered with no anomalies.
 */
export const GetAnomalies: JsonHandler = (input) => {
  const interval = optObject(input, "DateInterval");
  if (!interval) throw ceValidation("DateInterval is required.");
  reqString(interval, "StartDate");
  optString(interval, "EndDate");
  return { Anomalies: [] };
};
