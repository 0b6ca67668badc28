import { SandboxError } from "../../errors.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { optObject, optObjectArray, optString, optStringArray, reqString } from "../../protocol/input.ts";
import type { SbDailyCost } from "../../types.ts";

/**
 * Cost Explorer's Filter expressions (And / Or / Not / Dimensions / Tags) over daily cost
 * rows, and the dimension values GroupBy reads.
 */
export const ceValidation = (message: string) => new SandboxError("ValidationException", message);

export type CostPredicate = (row: SbDailyCost) => boolean;

const DIMENSIONS = ["SERVICE", "USAGE_TYPE", "REGION", "LINKED_ACCOUNT", "RESOURCE_ID"] as const;

/** How rows without resource-level data are grouped by RESOURCE_ID. */
export const NO_RESOURCE_ID = "NoResourceId";

/** The account and region rows belong to; `resources` is true only in GetCostAndUsageWithResources. */
export interface CostScope {
  region: string;
  accountId: string;
  resources?: boolean;
}

/** RESOURCE_ID exists only in GetCostAndUsageWithResources, as in AWS. */
export function checkDimension(key: string, scope: CostScope): Dimension {
  if (!isDimension(key)) throw ceValidation(`The sandbox does not support the dimension ${key}.`);
  if (key === "RESOURCE_ID" && !scope.resources) {
    throw ceValidation("RESOURCE_ID is only available in GetCostAndUsageWithResources.");
  }
  return key;
}
export type Dimension = (typeof DIMENSIONS)[number];

export function isDimension(key: string): key is Dimension {
  return (DIMENSIONS as readonly string[]).includes(key);
}

/** A row's value for a dimension; usage types default to the service when a scenario leaves them out. */
export function dimensionValue(row: SbDailyCost, key: Dimension, scope: CostScope): string {
  switch (key) {
    case "SERVICE":
      return row.service;
    case "USAGE_TYPE":
      return row.usageType ?? row.service;
    case "REGION":
      return scope.region;
    case "LINKED_ACCOUNT":
      return scope.accountId;
    case "RESOURCE_ID":
      return row.resourceId ?? NO_RESOURCE_ID;
  }
}

export function compileFilter(expr: JsonObject, scope: CostScope): CostPredicate {
  const and = optObjectArray(expr, "And");
  const or = optObjectArray(expr, "Or");
  const not = optObject(expr, "Not");
  const dims = optObject(expr, "Dimensions");
  const tags = optObject(expr, "Tags");
  const parts = [and, or, not, dims, tags].filter((p) => p !== undefined);
  if (parts.length !== 1 || optObject(expr, "CostCategories")) {
    throw ceValidation(
      "An expression must hold exactly one of And, Or, Not, Dimensions or Tags (CostCategories are not supported by the sandbox).",
    );
  }
  if (and) {
    const ps = and.map((e) => compileFilter(e, scope));
    return (row) => ps.every((p) => p(row));
  }
  if (or) {
    const ps = or.map((e) => compileFilter(e, scope));
    return (row) => ps.some((p) => p(row));
  }
  if (not) {
    const p = compileFilter(not, scope);
    return (row) => !p(row);
  }
  if (dims) {
    const key = checkDimension(reqString(dims, "Key"), scope);
    const values = optStringArray(dims, "Values") ?? [];
    return (row) => values.includes(dimensionValue(row, key, scope));
  }
  const t = tags!;
  const key = optString(t, "Key") ?? "";
  const values = optStringArray(t, "Values") ?? [];
  const absent = (optStringArray(t, "MatchOptions") ?? []).includes("ABSENT");
  return (row) => {
    const v = row.tags?.[key];
    if (absent && v === undefined) return true;
    return v !== undefined && values.includes(v);
  };
}
