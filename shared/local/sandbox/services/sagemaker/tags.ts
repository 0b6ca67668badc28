import { tagPairs } from "../../arn.ts";
import { pageOf } from "../../pagination.ts";
import { optString, optStringArray, reqString, tagList } from "../../protocol/input.ts";
import { findResource, noteTagged } from "../../resources.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbTags } from "../../types.ts";
import { maxResults, validation } from "./common.ts";

/** The live tag record behind a SageMaker ARN, so AddTags/DeleteTags change the world. */
function tagsOf(ctx: SandboxContext, arn: string): SbTags {
  const hit = findResource(ctx.scenario, arn);
  if (!hit?.type.startsWith("sagemaker:")) throw validation(`Resource ${arn} does not exist.`);
  return hit.tags;
}

const ListTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  const size = maxResults(input, 50);
  const token = optString(input, "NextToken");
  const { items, nextToken } = pageOf(tagPairs(tags), "ListTags", size, token, "ValidationException");
  return { Tags: items, NextToken: nextToken };
};

const AddTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  const added = tagList(input, "Tags");
  if (Object.keys({ ...tags, ...added }).length > 50)
    throw validation("A resource can have at most 50 tags.");
  Object.assign(tags, added);
  return { Tags: tagPairs(added) };
};

const DeleteTags: JsonHandler = (input, ctx) => {
  const tags = tagsOf(ctx, reqString(input, "ResourceArn"));
  noteTagged(tags);
  for (const key of optStringArray(input, "TagKeys") ?? []) delete tags[key];
  return {};
};

export const tagOperations: Record<string, JsonHandler> = { ListTags, AddTags, DeleteTags };
