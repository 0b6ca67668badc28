import { sagemakerArn, tagPairs } from "../../arn.ts";
import { pageOf } from "../../pagination.ts";
import { optString, optStringArray, reqString, tagList } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbTags } from "../../types.ts";
import { maxResults, validation } from "./common.ts";

/** The live tag record behind a SageMaker ARN, so AddTags/DeleteTags change the world. */
export function tagsOf(ctx: SandboxContext, arn: string): SbTags {
  const s = ctx.scenario;
  const sm = s.sagemaker;
  const candidates: Array<[string, { tags: SbTags }]> = [
    ...sm.endpoints.map((e): [string, { tags: SbTags }] => [sagemakerArn(s, "endpoint", e.name), e]),
    ...sm.endpointConfigs.map((c): [string, { tags: SbTags }] => [sagemakerArn(s, "endpoint-config", c.name), c]),
    ...sm.models.map((m): [string, { tags: SbTags }] => [sagemakerArn(s, "model", m.name), m]),
    ...sm.notebookInstances.map((n): [string, { tags: SbTags }] => [sagemakerArn(s, "notebook-instance", n.name), n]),
    ...sm.trainingJobs.map((j): [string, { tags: SbTags }] => [sagemakerArn(s, "training-job", j.name), j]),
  ];
  // Our ARNs are all lowercase (AWS lowercases the name part), so compare case-insensitively.
  const hit = candidates.find(([a]) => a === arn.toLowerCase());
  if (!hit) throw validation(`Resource ${arn} does not exist.`);
  return hit[1].tags;
}

const ListTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  const size = maxResults(input, 50);
  const { items, nextToken } = pageOf(tagPairs(tags), "ListTags", size, optString(input, "NextToken"), "ValidationException");
  return { Tags: items, NextToken: nextToken };
};

const AddTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  const added = tagList(input, "Tags");
  Object.assign(tags, added);
  return { Tags: tagPairs(added) };
};

const DeleteTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  for (const key of optStringArray(input, "TagKeys") ?? []) delete tags[key];
  return {};
};

export const tagOperations: Record<string, JsonHandler> = { ListTags, AddTags, DeleteTags };
