/**
 * Tags in bulk through the Resource Groups Tagging API: one paginated `GetResources` per
 * region instead of one ListTags per resource.
 *
 * GetResources never returns a resource that was never tagged, so it cannot *list*
 * resources: loaders list each service themselves and look the tags up here; a resource
 * missing from the map has no tags.
 */
import {
  paginateGetResources,
  type ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";

/** The API's maximum page size. */
export const RESOURCES_PER_PAGE = 100;

/**
 * ARN → tags of every tagged resource of the given types (`service[:resourceType]`, as
 * `ResourceTypeFilters` spells them: "sagemaker:notebook-instance", "ec2:volume", "s3").
 * Keys are the ARNs exactly as the API returns them (SageMaker's list calls return the same
 * spelling, with the name lowercased).
 */
export async function tagsByArn(
  client: ResourceGroupsTaggingAPIClient,
  resourceTypes: string[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for await (const page of paginateGetResources(
    { client },
    { ResourceTypeFilters: resourceTypes, ResourcesPerPage: RESOURCES_PER_PAGE },
  )) {
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (!mapping.ResourceARN) continue;
      const tags: Record<string, string> = {};
      for (const t of mapping.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? "";
      out.set(mapping.ResourceARN, tags);
    }
  }
  return out;
}
