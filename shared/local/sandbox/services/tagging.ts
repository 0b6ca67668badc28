import { tagPairs } from "../arn.ts";
import { SandboxError } from "../errors.ts";
import { pageOf } from "../pagination.ts";
import type { JsonObject } from "../protocol/input.ts";
import { isObject, optInt, optObjectArray, optString, optStringArray, reqString } from "../protocol/input.ts";
import {
  findResource,
  noteTagged,
  type TaggedResource,
  taggableResources,
  wasEverTagged,
} from "../resources.ts";
import type { JsonHandler, JsonService } from "../service.ts";

const invalid = (message: string) => new SandboxError("InvalidParameterException", message);

function matchesType(r: TaggedResource, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => r.type === f || r.type.split(":")[0] === f);
}

function matchesTags(r: TaggedResource, filters: ReadonlyArray<{ key: string; values: string[] }>): boolean {
  return filters.every((f) => {
    const v = r.tags[f.key];
    return v !== undefined && (f.values.length === 0 || f.values.includes(v));
  });
}

const GetResources: JsonHandler = (input, ctx) => {
  const perPage = optInt(input, "ResourcesPerPage", { min: 1, max: 100 }) ?? 50;
  const typeFilters = optStringArray(input, "ResourceTypeFilters") ?? [];
  for (const f of typeFilters) {
    if (!/^[a-z0-9-]+(:[a-z0-9-]+)?$/.test(f)) invalidType(f);
  }
  const tagFilters = (optObjectArray(input, "TagFilters") ?? []).map((f) => ({
    key: reqString(f, "Key"),
    values: optStringArray(f, "Values") ?? [],
  }));
  if (tagFilters.length > 50) throw invalid("TagFilters can hold at most 50 keys.");
  if (tagFilters.some((f) => f.values.length > 20)) throw invalid("A TagFilter can hold at most 20 values.");
  const arnList = optStringArray(input, "ResourceARNList");
  if (arnList && (typeFilters.length > 0 || tagFilters.length > 0)) {
    throw invalid("ResourceARNList cannot be combined with ResourceTypeFilters or TagFilters.");
  }

  // Never-tagged resources are invisible here, as in AWS: callers must diff against each
  // service's own listing to find untagged resources.
  const all = taggableResources(ctx.scenario);
  const wanted = arnList?.map((a) => a.toLowerCase());
  const matches = all.filter(
    (r) =>
      wasEverTagged(r.tags) &&
      (wanted === undefined || wanted.includes(r.arn.toLowerCase())) &&
      matchesType(r, typeFilters) &&
      matchesTags(r, tagFilters),
  );
  const token = optString(input, "PaginationToken") || undefined;
  const { items, nextToken } = pageOf(
    matches,
    "GetResources",
    perPage,
    token,
    "PaginationTokenExpiredException",
  );
  return {
    // AWS always sends the token, and an empty string marks the last page.
    PaginationToken: nextToken ?? "",
    ResourceTagMappingList: items.map((r) => ({ ResourceARN: r.arn, Tags: tagPairs(r.tags) })),
  };
};

function invalidType(f: string): never {
  throw invalid(
    `Unsupported resource type filter: ${f}. Use service[:resourceType], e.g. sagemaker:endpoint.`,
  );
}

function arnsOf(input: JsonObject): string[] {
  const arns = optStringArray(input, "ResourceARNList") ?? [];
  if (arns.length < 1 || arns.length > 20) throw invalid("ResourceARNList must hold 1 to 20 ARNs.");
  return arns;
}

/** Per-ARN outcome, as AWS reports it: unknown ARNs fail alone, the rest succeed. */
function eachResource(input: JsonObject, ctx: Parameters<JsonHandler>[1], act: (r: TaggedResource) => void) {
  const failed: Record<string, { StatusCode: number; ErrorCode: string; ErrorMessage: string }> = {};
  for (const arn of arnsOf(input)) {
    const r = findResource(ctx.scenario, arn);
    if (!r) {
      failed[arn] = {
        StatusCode: 404,
        ErrorCode: "InvalidParameterException",
        ErrorMessage: `${arn} does not exist.`,
      };
      continue;
    }
    act(r);
  }
  return { FailedResourcesMap: failed };
}

const TagResources: JsonHandler = (input, ctx) => {
  const raw = input["Tags"];
  if (!isObject(raw)) throw invalid("Tags must be a map of keys to values.");
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") throw invalid(`Tag ${k} must have a string value.`);
    tags[k] = v;
  }
  return eachResource(input, ctx, (r) => {
    Object.assign(r.tags, tags);
    noteTagged(r.tags);
  });
};

const UntagResources: JsonHandler = (input, ctx) => {
  const keys = optStringArray(input, "TagKeys") ?? [];
  return eachResource(input, ctx, (r) => {
    noteTagged(r.tags);
    for (const k of keys) delete r.tags[k];
  });
};

export const tagging: JsonService = {
  name: "Tagging",
  signingName: "tagging",
  protocol: "awsJson1_1",
  target: "ResourceGroupsTaggingAPI_20170126",
  errors: {
    throttle: { code: "ThrottledException", status: 400 },
    fault: { code: "InternalServiceException", status: 500 },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "InvalidParameterException", status: 400 },
  },
  operations: { GetResources, TagResources, UntagResources },
};
