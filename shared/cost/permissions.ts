/**
 * IAM actions the cost-watch Lambda needs (serverless.yml `Sid: CostWatch` must equal this
 * list; the packaging test checks it). Cost Explorer and Budgets accept no resource-level
 * permissions: the statement's resource is "*".
 */
export const costWatchPermissions = [
  "ce:GetCostAndUsage",
  // Only sent when costWatch.resourceLevel is on; without it the drill-down falls back.
  "ce:GetCostAndUsageWithResources",
  "ce:GetCostForecast",
  "ce:GetAnomalies",
  "budgets:ViewBudget",
] as const;
