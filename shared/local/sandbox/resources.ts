import { appArn, ec2Arn, s3BucketArn, sagemakerArn, studioArn } from "./arn.ts";
import type { SbTags, Scenario } from "./types.ts";

/** One taggable resource of the world, with its live tag record (edits change the scenario). */
export interface TaggedResource {
  arn: string;
  /** `service:resourceType`, as the Tagging API's ResourceTypeFilters spell it. */
  type: string;
  tags: SbTags;
}

/** Every taggable resource, in a stable order (by ARN). */
export function taggableResources(s: Scenario): TaggedResource[] {
  const sm = s.sagemaker;
  const all: TaggedResource[] = [
    ...sm.endpoints.map((e) => ({
      arn: sagemakerArn(s, "endpoint", e.name),
      type: "sagemaker:endpoint",
      tags: e.tags,
    })),
    ...sm.endpointConfigs.map((c) => ({
      arn: sagemakerArn(s, "endpoint-config", c.name),
      type: "sagemaker:endpoint-config",
      tags: c.tags,
    })),
    ...sm.models.map((m) => ({
      arn: sagemakerArn(s, "model", m.name),
      type: "sagemaker:model",
      tags: m.tags,
    })),
    ...sm.notebookInstances.map((n) => ({
      arn: sagemakerArn(s, "notebook-instance", n.name),
      type: "sagemaker:notebook-instance",
      tags: n.tags,
    })),
    ...sm.studio.domains.map((d) => ({
      arn: studioArn(s, `domain/${d.id}`),
      type: "sagemaker:domain",
      tags: d.tags,
    })),
    ...sm.studio.userProfiles.map((p) => ({
      arn: studioArn(s, `user-profile/${p.domainId}/${p.name}`),
      type: "sagemaker:user-profile",
      tags: p.tags,
    })),
    ...sm.studio.spaces.map((sp) => ({
      arn: studioArn(s, `space/${sp.domainId}/${sp.name}`),
      type: "sagemaker:space",
      tags: sp.tags,
    })),
    // Deleted apps linger in ListApps for a while, but their tags are gone with them.
    ...sm.studio.apps
      .filter((a) => a.status !== "Deleted")
      .map((a) => ({ arn: appArn(s, a), type: "sagemaker:app", tags: a.tags })),
    ...sm.trainingJobs.map((j) => ({
      arn: sagemakerArn(s, "training-job", j.name),
      type: "sagemaker:training-job",
      tags: j.tags,
    })),
    ...sm.processingJobs.map((j) => ({
      arn: sagemakerArn(s, "processing-job", j.name),
      type: "sagemaker:processing-job",
      tags: j.tags,
    })),
    ...s.ec2.instances.map((i) => ({
      arn: ec2Arn(s, "instance", i.instanceId),
      type: "ec2:instance",
      tags: i.tags,
    })),
    ...s.ec2.volumes.map((v) => ({ arn: ec2Arn(s, "volume", v.volumeId), type: "ec2:volume", tags: v.tags })),
    ...s.s3.buckets.map((b) => ({ arn: s3BucketArn(b.name), type: "s3", tags: b.tags })),
  ];
  return all.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** ARNs compare case-insensitively: SageMaker lowercases names in them, callers may not. */
export function findResource(s: Scenario, arn: string): TaggedResource | undefined {
  const wanted = arn.toLowerCase();
  return taggableResources(s).find((r) => r.arn.toLowerCase() === wanted);
}

/**
 * Tag records that ever held a tag. The Tagging API lists those (with an empty tag set
 * once all tags are gone) but never a resource that was never tagged.
 */
const everTagged = new WeakSet<SbTags>();

export function noteTagged(tags: SbTags): void {
  if (Object.keys(tags).length > 0) everTagged.add(tags);
}

export function wasEverTagged(tags: SbTags): boolean {
  noteTagged(tags);
  return everTagged.has(tags);
}
