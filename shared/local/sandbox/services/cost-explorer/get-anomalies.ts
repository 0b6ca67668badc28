import { SandboxError } from "../../errors.ts";
import { pageOf } from "../../pagination.ts";
import { optInt, optObject, optString, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { SbCostAnomaly } from "../../types.ts";
import { ceValidation } from "./expression.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Anomalies per page when MaxResults is not given. */
export const ANOMALIES_PER_PAGE = 20;

/**
 * GetAnomalies over the scenario's Cost Anomaly Detection monitors. As in AWS, an anomaly is
 * returned when its end date (the last day seen) falls in DateInterval; MonitorArn narrows
 * to one monitor (an unknown one is UnknownMonitorException); pages of MaxResults with an
 * opaque NextPageToken.
 */
export const GetAnomalies: JsonHandler = (input, ctx) => {
  const interval = optObject(input, "DateInterval");
  if (!interval) throw ceValidation("DateInterval is required.");
  const start = reqString(interval, "StartDate");
  const end = optString(interval, "EndDate");
  if (!DATE.test(start) || (end !== undefined && !DATE.test(end))) {
    throw ceValidation("DateInterval dates must be YYYY-MM-DD.");
  }
  if (end !== undefined && end < start) throw ceValidation("StartDate must be on or before EndDate.");
  const size = optInt(input, "MaxResults", { min: 1, max: 100 }) ?? ANOMALIES_PER_PAGE;
  const monitorArn = optString(input, "MonitorArn");
  const monitors = ctx.scenario.anomalyMonitors.filter((m) => !monitorArn || m.arn === monitorArn);
  if (monitorArn && monitors.length === 0) {
    throw new SandboxError("UnknownMonitorException", `Cost anomaly monitor ${monitorArn} does not exist.`);
  }
  const all = monitors
    .flatMap((m) => m.anomalies)
    .filter((a) => a.endDate >= start && (end === undefined || a.endDate <= end))
    .sort((a, b) =>
      a.startDate === b.startDate ? (a.id < b.id ? -1 : 1) : a.startDate < b.startDate ? -1 : 1,
    );
  const page = pageOf(
    all,
    "GetAnomalies",
    size,
    optString(input, "NextPageToken"),
    "InvalidNextTokenException",
  );
  return {
    Anomalies: page.items.map(toAws),
    ...(page.nextToken ? { NextPageToken: page.nextToken } : {}),
  };
};

function toAws(a: SbCostAnomaly) {
  const impact = a.actualUsd - a.expectedUsd;
  return {
    AnomalyId: a.id,
    AnomalyStartDate: a.startDate,
    AnomalyEndDate: a.endDate,
    DimensionValue: a.dimensionValue,
    MonitorArn: a.monitorArn,
    RootCauses: a.rootCauses.map((c) => ({
      ...(c.service ? { Service: c.service } : {}),
      ...(c.usageType ? { UsageType: c.usageType } : {}),
      ...(c.region ? { Region: c.region } : {}),
      ...(c.linkedAccount ? { LinkedAccount: c.linkedAccount } : {}),
    })),
    AnomalyScore: { MaxScore: a.maxScore, CurrentScore: a.maxScore },
    Impact: {
      MaxImpact: impact,
      TotalImpact: impact,
      TotalActualSpend: a.actualUsd,
      TotalExpectedSpend: a.expectedUsd,
      ...(a.expectedUsd > 0 ? { TotalImpactPercentage: (impact / a.expectedUsd) * 100 } : {}),
    },
  };
}
