/** EC2 calls of the stop action and its restore: one instance at a time, by id. */
import {
  DescribeInstancesCommand,
  type EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { isEc2InstanceNotFound, unlessMissing } from "./not-found.ts";

export interface InstanceState {
  /** pending | running | stopping | stopped | shutting-down | terminated */
  state: string;
  instanceType?: string;
}

export async function describeInstanceState(
  client: EC2Client,
  instanceId: string,
): Promise<InstanceState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    isEc2InstanceNotFound,
  );
  const instance = out?.Reservations?.flatMap((r) => r.Instances ?? []).find(
    (i) => i.InstanceId === instanceId,
  );
  if (!instance) return undefined;
  return {
    state: instance.State?.Name ?? "unknown",
    ...(instance.InstanceType ? { instanceType: instance.InstanceType } : {}),
  };
}

export async function stopInstance(client: EC2Client, instanceId: string): Promise<void> {
  await client.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
}

export async function startInstance(client: EC2Client, instanceId: string): Promise<void> {
  await client.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
}
