/**
 * The EC2 inventory kinds. They are shared by every detector that reads them (idle GPU
 * instances, unattached volumes, untagged resources…), so they hold every instance that exists
 * (not terminated) and every volume; each detector narrows to what it judges. Listing them all
 * costs one call per 1,000 instances or 500 volumes.
 */
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { STSClient } from "@aws-sdk/client-sts";
import type { Ec2InstanceInfo, VolumeInfo } from "../detectors/inventory.ts";
import { listInstances, listVolumes } from "./ec2.ts";
import { discoverGpuSeries, gpuSeriesByInstance } from "./gpu-metric-discovery.ts";
import { callerAccount } from "./identity.ts";

/** Terminated instances are gone (and free); shutting-down ones are going. */
export const LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"];

const ec2Arn = (region: string, account: string, kind: string, id: string) =>
  `arn:aws:ec2:${region}:${account}:${kind}/${id}`;

/**
 * Live instances, and for running ones the CloudWatch agent's GPU series. GPU discovery runs
 * only when something runs; if it fails, `gpuSeries` stays undefined (detectors that need it
 * then leave the instances unjudged) and the inventory still loads for everyone else.
 */
export async function loadEc2Instances(
  clients: { ec2: EC2Client; cloudwatch: CloudWatchClient; sts: STSClient },
  region: string,
): Promise<Ec2InstanceInfo[]> {
  const instances = await listInstances(clients.ec2, { states: LIVE_INSTANCE_STATES });
  const running = instances.filter((i) => i.state === "running");
  let gpu: Map<string, Ec2InstanceInfo["gpuSeries"]> | undefined;
  if (running.length > 0) {
    try {
      gpu = gpuSeriesByInstance(await discoverGpuSeries(clients.cloudwatch), running);
    } catch {
      gpu = undefined;
    }
  }
  const needsAccount = instances.some((i) => !i.ownerId);
  const account = needsAccount ? (await callerAccount(clients.sts)).accountId : "";
  return instances.map((i) => {
    const series = gpu?.get(i.id);
    return {
      id: i.id,
      arn: ec2Arn(region, i.ownerId ?? account, "instance", i.id),
      region,
      instanceType: i.instanceType,
      state: i.state,
      launchTime: i.launchTime,
      ...(i.privateDnsName ? { privateDnsName: i.privateDnsName } : {}),
      ...(series ? { gpuSeries: series } : {}),
      tags: i.tags,
    };
  });
}

/** Every volume, whatever its state (available ones are the waste; in-use ones still need tags). */
export async function loadVolumes(
  clients: { ec2: EC2Client; sts: STSClient },
  region: string,
): Promise<VolumeInfo[]> {
  const volumes = await listVolumes(clients.ec2);
  const needsAccount = volumes.some((v) => !v.arn && !v.ownerId);
  const account = needsAccount ? (await callerAccount(clients.sts)).accountId : "";
  return volumes.map((v) => ({
    id: v.id,
    arn: v.arn ?? ec2Arn(region, v.ownerId ?? account, "volume", v.id),
    region,
    volumeType: v.volumeType,
    sizeGiB: v.sizeGiB,
    state: v.state,
    createTime: v.createTime,
    ...(v.attachedInstanceId ? { attachedInstanceId: v.attachedInstanceId } : {}),
    ...(v.iops !== undefined ? { iops: v.iops } : {}),
    ...(v.throughputMiBps !== undefined ? { throughputMiBps: v.throughputMiBps } : {}),
    tags: v.tags,
  }));
}
