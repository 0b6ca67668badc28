import { SandboxError } from "../../errors.ts";
import { pageOf } from "../../pagination.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { oneOf, optInt, optString, optTime } from "../../protocol/input.ts";

/** SageMaker's one validation code: also used for "Could not find endpoint". */
export const validation = (message: string) => new SandboxError("ValidationException", message);

/** ListX calls: MaxResults 1..100 (AWS refuses more), default 10. */
export function maxResults(input: JsonObject, fallback = 10, max = 100): number {
  return optInt(input, "MaxResults", { min: 1, max }) ?? fallback;
}

type SortValue = string | number;

/**
 * The shared shape of SageMaker List calls: filter by name/time/status, sort, paginate.
 * Ties break by name so pages stay stable between calls.
 */
export function listPage<T extends { name: string; creationTime: number; lastModifiedTime?: number }>(
  input: JsonObject,
  op: string,
  items: readonly T[],
  opts: {
    status?: (item: T) => string;
    sortKeys: Record<string, (item: T) => SortValue>;
    defaultSortBy: string;
    defaultOrder: "Ascending" | "Descending";
  },
): { page: T[]; nextToken?: string } {
  const size = maxResults(input);
  const nameContains = optString(input, "NameContains")?.toLowerCase();
  const status = optString(input, "StatusEquals");
  const after = optTime(input, "CreationTimeAfter");
  const before = optTime(input, "CreationTimeBefore");
  const modAfter = optTime(input, "LastModifiedTimeAfter");
  const modBefore = optTime(input, "LastModifiedTimeBefore");
  const sortBy =
    oneOf(optString(input, "SortBy"), Object.keys(opts.sortKeys), "SortBy") ?? opts.defaultSortBy;
  const order =
    oneOf(optString(input, "SortOrder"), ["Ascending", "Descending"], "SortOrder") ?? opts.defaultOrder;

  const keyOf = opts.sortKeys[sortBy]!;
  const sign = order === "Ascending" ? 1 : -1;
  const filtered = items
    .filter((i) => nameContains === undefined || i.name.toLowerCase().includes(nameContains))
    .filter((i) => status === undefined || opts.status?.(i) === status)
    .filter((i) => after === undefined || i.creationTime > after)
    .filter((i) => before === undefined || i.creationTime < before)
    .filter((i) => modAfter === undefined || (i.lastModifiedTime ?? i.creationTime) > modAfter)
    .filter((i) => modBefore === undefined || (i.lastModifiedTime ?? i.creationTime) < modBefore)
    .sort((a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : 0;
      return c !== 0 ? sign * c : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  const { items: page, nextToken } = pageOf(
    filtered,
    op,
    size,
    optString(input, "NextToken"),
    "ValidationException",
  );
  return { page, nextToken };
}

export const byName = <T extends { name: string }>(i: T) => i.name;
export const byCreation = <T extends { creationTime: number }>(i: T) => i.creationTime;
