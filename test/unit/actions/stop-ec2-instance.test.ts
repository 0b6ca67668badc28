import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { stopEc2Instance } from "../../../shared/actions/stop-ec2-instance.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const ec2 = mockClient(EC2Client);
const ID = "i-0a1b2c3d4e5f60001";
const ARN = `arn:aws:ec2:us-east-1:123456789012:instance/${ID}`;
const finding = findingFor("ec2:instance", ID, ARN);

function instanceIs(state: string) {
  ec2.on(DescribeInstancesCommand, { InstanceIds: [ID] }).resolves({
    Reservations: [
      { Instances: [{ InstanceId: ID, InstanceType: "g5.2xlarge", State: { Name: state as "running" } }] },
    ],
  });
}

beforeEach(() => {
  ec2.reset();
  ec2.on(StopInstancesCommand).resolves({});
});

describe("stop-ec2-instance", () => {
  it("stops a running instance, saving the undo record first", async () => {
    instanceIs("running");
    const log: string[] = [];
    ec2.on(StopInstancesCommand).callsFake(() => {
      log.push("StopInstances");
      return {};
    });
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await stopEc2Instance.run(newClients(), finding, saveUndo);

    expect(ec2).toHaveReceivedCommandTimes(StopInstancesCommand, 1);
    expect(ec2.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [ID] });
    expect(log).toEqual(["saveUndo", "StopInstances"]);
    expect(saved).toEqual([
      {
        resourceArn: ARN,
        resourceType: "ec2:instance",
        action: "stop",
        data: { region: "us-east-1", instanceId: ID },
      },
    ]);
    expect(outcome).toMatchObject({ result: "done", fromState: "running" });
  });

  it.each(["stopped", "stopping", "shutting-down", "terminated"])(
    "is already done when %s: no stop sent",
    async (state) => {
      instanceIs(state);
      const { saved, saveUndo } = undoRecorder();
      const outcome = await stopEc2Instance.run(newClients(), finding, saveUndo);
      expect(outcome).toMatchObject({ result: "already", fromState: state });
      expect(ec2).not.toHaveReceivedCommand(StopInstancesCommand);
      expect(saved).toEqual([]);
    },
  );

  it("treats InvalidInstanceID.NotFound as already gone", async () => {
    ec2
      .on(DescribeInstancesCommand)
      .rejects(awsError("InvalidInstanceID.NotFound", `The instance ID '${ID}' does not exist`));
    const outcome = await stopEc2Instance.run(newClients(), finding, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(ec2).not.toHaveReceivedCommand(StopInstancesCommand);
  });

  it("refuses to stop a pending instance with InvalidStateError", async () => {
    instanceIs("pending");
    const { saved, saveUndo } = undoRecorder();
    const error = await stopEc2Instance.run(newClients(), finding, saveUndo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toMatchObject({ name: "InvalidStateError", state: "pending", validStates: ["running"] });
    expect(ec2).not.toHaveReceivedCommand(StopInstancesCommand);
    expect(saved).toEqual([]);
  });
});
