import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  paginateDescribeInstances,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { clientConfig, DAY, NOW, useSandbox, world } from "./helpers.ts";

const ids = Array.from({ length: 12 }, (_, i) => `i-0a1b2c3d4e5f6${String(i).padStart(4, "0")}`);
const ctx = useSandbox(() =>
  world({
    callerArn: "arn:aws:sts::123456789012:assumed-role/MlJanitorRole/janitor",
    ec2: {
      instances: ids.map((instanceId, i) => ({
        instanceId,
        instanceType: i === 0 ? "g5.2xlarge" : "m5.large",
        state: i < 10 ? "running" : "stopped",
        launched: "-10d",
        tags: i === 0 ? { team: "vision", Name: "gpu-dev-box" } : {},
      })),
      volumes: [
        { volumeId: "vol-01", volumeType: "gp3", sizeGiB: 500, state: "available", created: "-40d" },
        { volumeId: "vol-02", volumeType: "gp2", sizeGiB: 1000, state: "available", created: "-40d" },
        {
          volumeId: "vol-03",
          volumeType: "gp3",
          sizeGiB: 50,
          state: "in-use",
          created: "-10d",
          attachedInstanceId: ids[0],
        },
      ],
    },
  }),
);
const ec2 = () => new EC2Client(clientConfig(ctx.sandbox, { maxAttempts: 1 }));

describe("STS GetCallerIdentity (query protocol, XML)", () => {
  it("parses", async () => {
    const out = await new STSClient(clientConfig(ctx.sandbox)).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({
      Account: "123456789012",
      Arn: "arn:aws:sts::123456789012:assumed-role/MlJanitorRole/janitor",
      UserId: expect.stringMatching(/^AROA[0-9A-F]+:janitor$/),
    });
  });
});

describe("EC2 (EC2 query protocol, XML)", () => {
  it("describes instances with state, type, ISO launch time and tags", async () => {
    const out = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-type", Values: ["g5.*"] }] }),
    );
    const i = out.Reservations?.[0]?.Instances?.[0];
    expect(i).toMatchObject({
      InstanceId: ids[0],
      InstanceType: "g5.2xlarge",
      State: { Code: 16, Name: "running" },
      Tags: expect.arrayContaining([{ Key: "team", Value: "vision" }]),
    });
    expect(i?.LaunchTime).toEqual(new Date(NOW.getTime() - 10 * DAY));
  });

  it("paginates at MaxResults and filters by state and tag", async () => {
    ctx.sandbox.resetCounts();
    let n = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2(), pageSize: 5 },
      { Filters: [{ Name: "instance-state-name", Values: ["running"] }] },
    )) {
      n += (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
    }
    expect(n).toBe(10);
    expect(ctx.sandbox.counts()["EC2.DescribeInstances"]).toBe(2);
    const tagged = await ec2().send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:team", Values: ["vision"] }] }),
    );
    expect(tagged.Reservations).toHaveLength(1);
  });

  it("enforces MaxResults bounds and refuses unknown filters", async () => {
    await expect(ec2().send(new DescribeInstancesCommand({ MaxResults: 1001 }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(ec2().send(new DescribeInstancesCommand({ MaxResults: 4 }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
    await expect(
      ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: "no-such-filter", Values: ["x"] }] })),
    ).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(ec2().send(new DescribeVolumesCommand({ MaxResults: 501 }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
  });

  it("describes available volumes", async () => {
    const out = await ec2().send(
      new DescribeVolumesCommand({ Filters: [{ Name: "status", Values: ["available"] }] }),
    );
    expect(out.Volumes?.map((v) => [v.VolumeId, v.VolumeType, v.Size, v.State])).toEqual([
      ["vol-01", "gp3", 500, "available"],
      ["vol-02", "gp2", 1000, "available"],
    ]);
    expect(out.Volumes?.[0]?.CreateTime).toBeInstanceOf(Date);
    expect(out.Volumes?.[0]?.Attachments).toEqual([]);
  });

  it("stops instances and reports unknown ids like AWS", async () => {
    const out = await ec2().send(new StopInstancesCommand({ InstanceIds: [ids[1]!] }));
    expect(out.StoppingInstances?.[0]).toMatchObject({
      CurrentState: { Name: "stopping" },
      PreviousState: { Name: "running" },
    });
    expect(ctx.sandbox.scenario.ec2.instances[1]?.state).toBe("stopped");
    await expect(ec2().send(new StopInstancesCommand({ InstanceIds: ["i-0000"] }))).rejects.toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
  });
});
