import { pageOf } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { oneOf, optObject, optObjectArray, optString, reqString } from "../../protocol/input.ts";
import { maxResults, validation } from "./common.ts";

/**
 * What every Search resource shares: a SearchExpression of Filters joined by And/Or, sorting,
 * and pagination (MaxResults ≤ 100). Filters on fields we do not model, SubExpressions and
 * NestedFilters are refused rather than ignored, so a caller never mistakes an unfiltered
 * answer for a filtered one.
 */
export interface SearchableResource<T extends { name: string }> {
  /** Filter names this resource supports, besides `Tags.<key>`. */
  fields: readonly string[];
  read(item: T, field: string): string | undefined;
  sortKeys: Record<string, (item: T) => string | number>;
}

type Predicate<T> = (item: T) => boolean;

function predicate<T extends { name: string }>(filter: JsonObject, r: SearchableResource<T>): Predicate<T> {
  const name = reqString(filter, "Name");
  const operator = optString(filter, "Operator") ?? "Equals";
  const value = optString(filter, "Value");
  if (!r.fields.includes(name) && !name.startsWith("Tags.")) {
    throw validation(`The sandbox does not support Search filters on "${name}".`);
  }
  const need = () => {
    if (value === undefined) throw validation(`Filter on "${name}" with ${operator} requires a Value.`);
    return value;
  };
  const field = (item: T) => r.read(item, name);
  switch (operator) {
    case "Equals": {
      const v = need();
      return (e) => field(e) === v;
    }
    case "NotEquals": {
      const v = need();
      return (e) => field(e) !== v;
    }
    case "Contains": {
      const v = need();
      return (e) => field(e)?.includes(v) === true;
    }
    case "Exists":
      return (e) => field(e) !== undefined;
    case "NotExists":
      return (e) => field(e) === undefined;
    default:
      throw validation(`The sandbox does not support the Search operator "${operator}".`);
  }
}

/** One page of `items` matching the request's expression, sorted as asked (ties by name). */
export function searchPage<T extends { name: string }>(
  input: JsonObject,
  items: readonly T[],
  resource: SearchableResource<T>,
): { items: T[]; nextToken?: string } {
  const size = maxResults(input);
  const expression = optObject(input, "SearchExpression") ?? {};
  if (expression["SubExpressions"] !== undefined || expression["NestedFilters"] !== undefined) {
    throw validation("The sandbox does not support SubExpressions or NestedFilters in Search.");
  }
  const joiner = oneOf(optString(expression, "Operator"), ["And", "Or"], "Operator") ?? "And";
  const predicates = (optObjectArray(expression, "Filters") ?? []).map((f) => predicate(f, resource));
  const sortBy = optString(input, "SortBy") ?? "LastModifiedTime";
  const keyOf = resource.sortKeys[sortBy];
  if (!keyOf) throw validation(`The sandbox cannot sort Search results by "${sortBy}".`);
  const sign =
    (oneOf(optString(input, "SortOrder"), ["Ascending", "Descending"], "SortOrder") ?? "Descending") ===
    "Ascending"
      ? 1
      : -1;

  const matches = items
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
  return pageOf(matches, "Search", size, optString(input, "NextToken"), "ValidationException");
}
