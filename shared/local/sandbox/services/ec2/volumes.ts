import { ec2Arn } from "../../arn.ts";
import { SandboxError } from "../../errors.ts";
import { pageOf } from "../../pagination.ts";
import { ec2Filters, indexedList } from "../../protocol/query.ts";
import type { QueryHandler } from "../../service.ts";
import type { SbEbsVolume } from "../../types.ts";
import { invalidCombination, matchFilters, maxResults, tagSet } from "./common.ts";

const FIELDS: Record<string, (v: SbEbsVolume) => string | undefined> = {
  status: (v) => v.state,
  "volume-type": (v) => v.volumeType,
  "volume-id": (v) => v.volumeId,
  size: (v) => String(v.sizeGiB),
  "attachment.instance-id": (v) => v.attachedInstanceId,
  "attachment.status": (v) => (v.attachedInstanceId ? "attached" : undefined),
};

export const DescribeVolumes: QueryHandler = (params, ctx) => {
  const ids = indexedList(params, "VolumeId");
  const max = maxResults(params, 5, 500);
  if (ids.length > 0 && max !== undefined) {
    throw invalidCombination("The parameter volumeSet cannot be used with the parameter maxResults");
  }
  // A deleted volume is gone (AWS shows `deleting` briefly, then nothing).
  const all = ctx.scenario.ec2.volumes.filter((v) => v.state !== "deleted");
  const missing = ids.find((id) => !all.some((v) => v.volumeId === id));
  if (missing) throw new SandboxError("InvalidVolume.NotFound", `The volume '${missing}' does not exist.`);
  const filters = ec2Filters(params);
  const matches = all
    .filter((v) => ids.length === 0 || ids.includes(v.volumeId))
    .filter((v) => matchFilters(v, filters, FIELDS, (x) => x.tags));
  const token = params.get("NextToken") ?? undefined;
  const { items, nextToken } = pageOf(
    matches,
    "DescribeVolumes",
    max ?? 500,
    token,
    "InvalidPaginationToken",
  );
  return {
    volumeSet: items.map((v) => ({
      volumeArn: ec2Arn(ctx.scenario, "volume", v.volumeId),
      ownerId: ctx.scenario.accountId,
      volumeId: v.volumeId,
      size: v.sizeGiB,
      snapshotId: "",
      availabilityZone: `${ctx.scenario.region}a`,
      status: v.state,
      createTime: new Date(v.createTime),
      attachmentSet: v.attachedInstanceId
        ? [
            {
              volumeId: v.volumeId,
              instanceId: v.attachedInstanceId,
              device: "/dev/sdf",
              status: "attached",
              attachTime: new Date(v.createTime),
              deleteOnTermination: false,
            },
          ]
        : [],
      volumeType: v.volumeType,
      iops: v.volumeType === "gp3" ? 3000 : undefined,
      encrypted: false,
      multiAttachEnabled: false,
      tagSet: tagSet(v.tags),
    })),
    nextToken,
  };
};
