import { SandboxError } from "../../errors.ts";
import type { FormFilter, FormParams } from "../../protocol/query.ts";
import type { SbTags } from "../../types.ts";

export const invalidValue = (message: string) => new SandboxError("InvalidParameterValue", message);
export const invalidCombination = (message: string) =>
  new SandboxError("InvalidParameterCombination", message);

/** EC2's MaxResults bounds differ per call (5..1000 instances, 5..500 volumes). */
export function maxResults(params: FormParams, min: number, max: number): number | undefined {
  const raw = params.get("MaxResults");
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidValue(
      `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
  return n;
}

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/**
 * EC2 filters: values OR together (with `*`/`?` wildcards), filters AND together. Names
 * we do not model are refused, as AWS refuses names it does not know.
 */
export function matchFilters<T>(
  item: T,
  filters: readonly FormFilter[],
  fields: Record<string, (item: T) => string | undefined>,
  tags: (item: T) => SbTags,
): boolean {
  return filters.every((f) => {
    let value: string | undefined | string[];
    if (f.name.startsWith("tag:")) value = tags(item)[f.name.slice(4)];
    else if (f.name === "tag-key") value = Object.keys(tags(item));
    else {
      const read = fields[f.name];
      if (!read) throw invalidValue(`The filter '${f.name}' is invalid`);
      value = read(item);
    }
    const candidates = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return f.values.some((v) => candidates.some((c) => glob(v).test(c)));
  });
}

export function tagSet(tags: SbTags): Array<{ key: string; value: string }> {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
