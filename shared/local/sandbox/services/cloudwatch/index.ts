import type { JsonService } from "../../service.ts";
import { GetMetricData } from "./get-metric-data.ts";
import { GetMetricStatistics } from "./get-metric-statistics.ts";
import { ListMetrics } from "./list-metrics.ts";
import { PutMetricData } from "./put-metric-data.ts";

export const cloudwatch: JsonService = {
  name: "CloudWatch",
  signingName: "monitoring",
  protocol: "awsJson1_0",
  target: "GraniteServiceVersion20100801",
  queryCompatible: true,
  errors: {
    throttle: { code: "Throttling", status: 400 },
    fault: { code: "InternalServiceError", status: 500, jsonType: "InternalServiceFault" },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "ValidationError", status: 400, jsonType: "ValidationException" },
  },
  operations: { GetMetricData, GetMetricStatistics, ListMetrics, PutMetricData },
};
