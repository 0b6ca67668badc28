/** EC2 reads: instances and EBS volumes, paginated at AWS's maximum page sizes, tags included. */
import {
  type EC2Client,
  type Filter,
  paginateDescribeInstances,
  paginateDescribeVolumes,
  type Tag,
} from "@aws-sdk/client-ec2";

export interface InstanceSummary {
  id: string;
  ownerId?: string;
  instanceType: string;
  state: string;
  launchTime: Date;
  privateDnsName?: string;
  tags: Record<string, string>;
}

export interface VolumeSummary {
  id: string;
  arn?: string;
  ownerId?: string;
  volumeType: string;
  sizeGiB: number;
  state: string;
  createTime: Date;
  attachedInstanceId?: string;
  iops?: number;
  throughputMiBps?: number;
  tags: Record<string, string>;
}

export function ec2TagsToRecord(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
  return out;
}

function filters(spec: Record<string, string[] | undefined>): Filter[] {
  return Object.entries(spec)
    .filter((entry): entry is [string, string[]] => entry[1] !== undefined && entry[1].length > 0)
    .map(([Name, Values]) => ({ Name, Values }));
}

/**
 * Instances in the given states (and, optionally, of the given types — EC2 wildcards such as
 * `g5.*` work), 1,000 per call: DescribeInstances' maximum.
 */
export async function listInstances(
  client: EC2Client,
  options: { states?: string[]; instanceTypes?: string[] } = {},
): Promise<InstanceSummary[]> {
  const out: InstanceSummary[] = [];
  const Filters = filters({
    "instance-state-name": options.states,
    "instance-type": options.instanceTypes,
  });
  for await (const page of paginateDescribeInstances(
    { client, pageSize: 1000 },
    { MaxResults: 1000, ...(Filters.length > 0 ? { Filters } : {}) },
  )) {
    for (const reservation of page.Reservations ?? []) {
      for (const i of reservation.Instances ?? []) {
        if (!i.InstanceId) continue;
        out.push({
          id: i.InstanceId,
          ...(reservation.OwnerId ? { ownerId: reservation.OwnerId } : {}),
          instanceType: i.InstanceType ?? "unknown",
          state: i.State?.Name ?? "unknown",
          launchTime: i.LaunchTime ?? new Date(0),
          ...(i.PrivateDnsName ? { privateDnsName: i.PrivateDnsName } : {}),
          tags: ec2TagsToRecord(i.Tags),
        });
      }
    }
  }
  return out;
}

/** Volumes (optionally only some states), 500 per call: DescribeVolumes' maximum. */
export async function listVolumes(
  client: EC2Client,
  options: { states?: string[] } = {},
): Promise<VolumeSummary[]> {
  const out: VolumeSummary[] = [];
  const Filters = filters({ status: options.states });
  for await (const page of paginateDescribeVolumes(
    { client, pageSize: 500 },
    { MaxResults: 500, ...(Filters.length > 0 ? { Filters } : {}) },
  )) {
    for (const v of page.Volumes ?? []) {
      if (!v.VolumeId) continue;
      const attached = v.Attachments?.find((a) => a.State === "attached" || a.State === "attaching");
      out.push({
        id: v.VolumeId,
        ...(v.VolumeArn ? { arn: v.VolumeArn } : {}),
        ...(v.OwnerId ? { ownerId: v.OwnerId } : {}),
        volumeType: v.VolumeType ?? "unknown",
        sizeGiB: v.Size ?? 0,
        state: v.State ?? "unknown",
        createTime: v.CreateTime ?? new Date(0),
        ...(attached?.InstanceId ? { attachedInstanceId: attached.InstanceId } : {}),
        ...(v.Iops !== undefined ? { iops: v.Iops } : {}),
        ...(v.Throughput !== undefined ? { throughputMiBps: v.Throughput } : {}),
        tags: ec2TagsToRecord(v.Tags),
      });
    }
  }
  return out;
}
