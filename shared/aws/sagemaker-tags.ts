/**
 * A SageMaker resource's tags, read in full before a delete (AWS drops them with the
 * resource), and written back on re-create.
 */
import { paginateListTags, type SageMakerClient, type Tag } from "@aws-sdk/client-sagemaker";
import { tagsToRecord } from "./sagemaker.ts";

/** ListTags' largest page. */
const MAX_TAGS_PAGE = 100;

export async function listAllTags(client: SageMakerClient, arn: string): Promise<Record<string, string>> {
  const tags: Tag[] = [];
  for await (const page of paginateListTags(
    { client, pageSize: MAX_TAGS_PAGE },
    { ResourceArn: arn, MaxResults: MAX_TAGS_PAGE },
  )) {
    tags.push(...(page.Tags ?? []));
  }
  return tagsToRecord(tags);
}

/**
 * Tags a caller may set. Keys starting with `aws:` belong to AWS (CloudFormation, Service
 * Catalog…): CreateX refuses them, so they are left out, and named in `skipped`.
 */
export function settableTags(tags: Record<string, string>): { tags: Tag[]; skipped: string[] } {
  const out: Tag[] = [];
  const skipped: string[] = [];
  for (const [Key, Value] of Object.entries(tags)) {
    if (Key.toLowerCase().startsWith("aws:")) skipped.push(Key);
    else out.push({ Key, Value });
  }
  return { tags: out, skipped };
}
