import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadEc2Instances, loadVolumes } from "../../../shared/aws/ec2-inventory.ts";

const ec2Mock = mockClient(EC2Client);
const cwMock = mockClient(CloudWatchClient);
const stsMock = mockClient(STSClient);
const clients = {
  ec2: new EC2Client({ region: "us-east-1" }),
  cloudwatch: new CloudWatchClient({ region: "us-east-1" }),
  sts: new STSClient({ region: "us-east-1" }),
};
const LAUNCHED = new Date("2026-11-01T00:00:00Z");

const inst = (id: string, type: string, state: string, dns?: string) => ({
  InstanceId: id,
  InstanceType: type as "g5.xlarge",
  State: { Name: state as "running" },
  LaunchTime: LAUNCHED,
  ...(dns ? { PrivateDnsName: dns } : {}),
  Tags: [{ Key: "team", Value: "vision" }],
});

beforeEach(() => {
  ec2Mock.reset();
  cwMock.reset();
  stsMock.reset();
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: "210987654321" });
});

describe("loadEc2Instances", () => {
  it("lists every live instance 1,000 at a time and attaches the agent's GPU series to running ones", async () => {
    ec2Mock
      .on(DescribeInstancesCommand)
      .resolvesOnce({
        Reservations: [
          {
            OwnerId: "123456789012",
            Instances: [inst("i-1", "g5.12xlarge", "running", "ip-10-0-0-1.ec2.internal")],
          },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        Reservations: [
          {
            OwnerId: "123456789012",
            Instances: [inst("i-2", "g5.xlarge", "running", "ip-10-0-0-2.ec2.internal")],
          },
          { OwnerId: "123456789012", Instances: [inst("i-3", "p3.2xlarge", "stopped")] },
        ],
      });
    cwMock.on(ListMetricsCommand).resolves({ Metrics: [] });
    cwMock.on(ListMetricsCommand, { MetricName: "nvidia_smi_utilization_gpu" }).resolves({
      Metrics: [
        {
          Namespace: "CWAgent",
          MetricName: "nvidia_smi_utilization_gpu",
          Dimensions: [
            { Name: "InstanceId", Value: "i-1" },
            { Name: "index", Value: "0" },
          ],
        },
        {
          Namespace: "Custom/GPU",
          MetricName: "nvidia_smi_utilization_gpu",
          Dimensions: [
            { Name: "host", Value: "ip-10-0-0-2" },
            { Name: "index", Value: "0" },
          ],
        },
      ],
    });

    const out = await loadEc2Instances(clients, "us-east-1");

    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeInstancesCommand, 2);
    expect(ec2Mock).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 1, {
      MaxResults: 1000,
      Filters: [{ Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }],
    });
    // One sweep per metric name across all namespaces, not one call per instance.
    expect(cwMock).toHaveReceivedCommandTimes(ListMetricsCommand, 3);
    expect(cwMock).toHaveReceivedCommandWith(ListMetricsCommand, {
      MetricName: "nvidia_smi_utilization_memory",
    });
    expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 0);

    expect(out.map((i) => [i.id, i.state, i.gpuSeries?.length])).toEqual([
      ["i-1", "running", 1],
      ["i-2", "running", 1],
      ["i-3", "stopped", undefined],
    ]);
    expect(out[0]).toMatchObject({
      arn: "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
      instanceType: "g5.12xlarge",
      launchTime: LAUNCHED,
      privateDnsName: "ip-10-0-0-1.ec2.internal",
      tags: { team: "vision" },
    });
    expect(out[1]!.gpuSeries![0]!.namespace).toBe("Custom/GPU");
  });

  it("still loads when GPU discovery fails, leaving gpuSeries unset so the detector does not guess", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ OwnerId: "123456789012", Instances: [inst("i-1", "g5.xlarge", "running")] }],
    });
    cwMock.on(ListMetricsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    const out = await loadEc2Instances(clients, "us-east-1");
    expect(out).toHaveLength(1);
    expect(out[0]!.gpuSeries).toBeUndefined();
  });

  it("skips discovery when nothing runs", async () => {
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ OwnerId: "123456789012", Instances: [inst("i-1", "g5.xlarge", "stopped")] }],
    });
    await loadEc2Instances(clients, "us-east-1");
    expect(cwMock).toHaveReceivedCommandTimes(ListMetricsCommand, 0);
  });
});

describe("loadVolumes", () => {
  it("lists every volume 500 at a time with sizes, IOPS, attachment and ARN", async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({
      Volumes: [
        {
          VolumeId: "vol-1",
          VolumeArn: "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
          VolumeType: "io2",
          Size: 100,
          Iops: 10_000,
          State: "in-use",
          CreateTime: LAUNCHED,
          Attachments: [{ InstanceId: "i-1", State: "attached" }],
          Tags: [{ Key: "Name", Value: "data" }],
        },
        {
          VolumeId: "vol-2",
          VolumeType: "gp3",
          Size: 500,
          Throughput: 250,
          State: "available",
          CreateTime: LAUNCHED,
        },
      ],
    });
    const out = await loadVolumes(clients, "us-east-1");
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeVolumesCommand, { MaxResults: 500 });
    expect(out).toEqual([
      {
        id: "vol-1",
        arn: "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
        region: "us-east-1",
        volumeType: "io2",
        sizeGiB: 100,
        state: "in-use",
        createTime: LAUNCHED,
        attachedInstanceId: "i-1",
        iops: 10_000,
        tags: { Name: "data" },
      },
      {
        id: "vol-2",
        // No ARN or owner in the answer: the account comes from STS, once.
        arn: "arn:aws:ec2:us-east-1:210987654321:volume/vol-2",
        region: "us-east-1",
        volumeType: "gp3",
        sizeGiB: 500,
        state: "available",
        createTime: LAUNCHED,
        throughputMiBps: 250,
        tags: {},
      },
    ]);
    expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });
});
