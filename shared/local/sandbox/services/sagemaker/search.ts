import { sagemakerArn, tagPairs } from "../../arn.ts";
import { pageOf } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { oneOf, optObject, optObjectArray, optString, reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { SbEndpoint } from "../../types.ts";
import { maxResults, validation } from "./common.ts";
import { variantSummary } from "./endpoints.ts";

/**
 * Search over endpoints only: it returns tags with each endpoint in one call, which is
 * why the janitor uses it. Filters we do not model are refused rather than ignored, so a
 * caller never mistakes an unfiltered answer for a filtered one.
 */
type Predicate = (e: SbEndpoint) => boolean;

function field(e: SbEndpoint, name: string): string | undefined {
  if (name === "EndpointStatus") return e.status;
  if (name === "EndpointName") return e.name;
  if (name === "EndpointConfigName") return e.configName;
  if (name.startsWith("Tags.")) return e.tags[name.slice("Tags.".length)];
  return undefined;
}

const FIELDS = ["EndpointStatus", "EndpointName", "EndpointConfigName"];

function predicate(filter: JsonObject): Predicate {
  const name = reqString(filter, "Name");
  const operator = optString(filter, "Operator") ?? "Equals";
  const value = optString(filter, "Value");
  if (!FIELDS.includes(name) && !name.startsWith("Tags.")) {
    throw validation(`The sandbox does not support Search filters on "${name}".`);
  }
  const need = () => {
    if (value === undefined) throw validation(`Filter on "${name}" with ${operator} requires a Value.`);
    return value;
  };
  switch (operator) {
    case "Equals": {
      const v = need();
      return (e) => field(e, name) === v;
    }
    case "NotEquals": {
      const v = need();
      return (e) => field(e, name) !== v;
    }
    case "Contains": {
      const v = need();
      return (e) => field(e, name)?.includes(v) === true;
    }
    case "Exists":
      return (e) => field(e, name) !== undefined;
    case "NotExists":
      return (e) => field(e, name) === undefined;
    default:
      throw validation(`The sandbox does not support the Search operator "${operator}".`);
  }
}

const SORT_KEYS: Record<string, (e: SbEndpoint) => string | number> = {
  LastModifiedTime: (e) => e.lastModifiedTime,
  CreationTime: (e) => e.creationTime,
  EndpointName: (e) => e.name,
  Name: (e) => e.name,
};

export const Search: JsonHandler = (input, ctx) => {
  const resource = reqString(input, "Resource");
  if (resource !== "Endpoint")
    throw validation(`The sandbox supports Search on Resource=Endpoint only, not ${resource}.`);
  const size = maxResults(input);
  const expression = optObject(input, "SearchExpression") ?? {};
  if (expression["SubExpressions"] !== undefined || expression["NestedFilters"] !== undefined) {
    throw validation("The sandbox does not support SubExpressions or NestedFilters in Search.");
  }
  const joiner = oneOf(optString(expression, "Operator"), ["And", "Or"], "Operator") ?? "And";
  const predicates = (optObjectArray(expression, "Filters") ?? []).map(predicate);
  const sortBy = optString(input, "SortBy") ?? "LastModifiedTime";
  const keyOf = SORT_KEYS[sortBy];
  if (!keyOf) throw validation(`The sandbox cannot sort Search results by "${sortBy}".`);
  const sign =
    (oneOf(optString(input, "SortOrder"), ["Ascending", "Descending"], "SortOrder") ?? "Descending") ===
    "Ascending"
      ? 1
      : -1;

  const matches = ctx.scenario.sagemaker.endpoints
    .filter((e) =>
      predicates.length === 0
        ? true
        : joiner === "And"
          ? predicates.every((p) => p(e))
          : predicates.some((p) => p(e)),
    )
    .sort((a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      return sign * (ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : 1);
    });
  const { items, nextToken } = pageOf(
    matches,
    "Search",
    size,
    optString(input, "NextToken"),
    "ValidationException",
  );
  return {
    Results: items.map((e) => ({
      Endpoint: {
        EndpointName: e.name,
        EndpointArn: sagemakerArn(ctx.scenario, "endpoint", e.name),
        EndpointConfigName: e.configName,
        ProductionVariants: e.variants.map(variantSummary),
        EndpointStatus: e.status,
        CreationTime: new Date(e.creationTime),
        LastModifiedTime: new Date(e.lastModifiedTime),
        Tags: tagPairs(e.tags),
      },
    })),
    NextToken: nextToken,
  };
};
