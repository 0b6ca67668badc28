import type { JsonService } from "../../service.ts";
import { GetAnomalies } from "./get-anomalies.ts";
import { GetCostAndUsage } from "./get-cost-and-usage.ts";
import { GetCostAndUsageWithResources } from "./get-cost-and-usage-with-resources.ts";
import { GetCostForecast } from "./get-cost-forecast.ts";

export const costExplorer: JsonService = {
  name: "CostExplorer",
  signingName: "ce",
  protocol: "awsJson1_1",
  target: "AWSInsightsIndexService",
  errors: {
    // Cost Explorer's throttle is a LimitExceededException (the SDK retries it as a throttle).
    throttle: { code: "LimitExceededException", status: 400 },
    fault: { code: "InternalFailure", status: 500 },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "ValidationException", status: 400 },
  },
  operations: { GetCostAndUsage, GetCostAndUsageWithResources, GetCostForecast, GetAnomalies },
};
