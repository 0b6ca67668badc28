import { DescribeInstancesCommand, EC2Client, StartInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CreateAppCommand,
  DescribeAppCommand,
  DescribeNotebookInstanceCommand,
  SageMakerClient,
  StartNotebookInstanceCommand,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { restoreEc2Instance } from "../../../shared/actions/restore-ec2-instance.ts";
import { restoreNotebookInstance } from "../../../shared/actions/restore-notebook-instance.ts";
import { restoreStudioApp } from "../../../shared/actions/restore-studio-app.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import { awsError, newClients } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
const ec2 = mockClient(EC2Client);

function undo(
  resourceType: string,
  resourceArn: string,
  action: "stop" | "delete",
  data: Record<string, unknown>,
): UndoRecord {
  return { findingId: "f", resourceArn, resourceType, action, savedAt: "2025-03-12T09:30:00Z", data };
}

beforeEach(() => {
  sm.reset();
  ec2.reset();
  sm.on(StartNotebookInstanceCommand).resolves({});
  sm.on(CreateAppCommand).resolves({ AppArn: "arn" });
  ec2.on(StartInstancesCommand).resolves({});
});

describe("restore-notebook-instance", () => {
  const record = undo(
    "sagemaker:notebook-instance",
    "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/maria-exploration",
    "stop",
    { notebookInstanceName: "Maria-Exploration" },
  );
  const notebookIs = (status: string) =>
    sm.on(DescribeNotebookInstanceCommand).resolves({ NotebookInstanceStatus: status as "Stopped" });

  it("starts a Stopped notebook, in the region of its ARN", async () => {
    notebookIs("Stopped");
    await restoreNotebookInstance.run(newClients(), record);
    expect(sm.commandCalls(StartNotebookInstanceCommand)[0]!.args[0].input).toEqual({
      NotebookInstanceName: "Maria-Exploration",
    });
    const client = sm.commandCalls(StartNotebookInstanceCommand)[0]!.thisValue as SageMakerClient;
    expect(await client.config.region()).toBe("eu-west-1");
  });

  it.each(["InService", "Pending"])("is already restored when %s", async (status) => {
    notebookIs(status);
    const { detail } = await restoreNotebookInstance.run(newClients(), record);
    expect(detail).toContain(`already ${status}`);
    expect(sm).not.toHaveReceivedCommand(StartNotebookInstanceCommand);
  });

  it("cannot restart a notebook that is gone or Stopping", async () => {
    sm.on(DescribeNotebookInstanceCommand).rejects(awsError("ValidationException", "RecordNotFound"));
    await expect(restoreNotebookInstance.run(newClients(), record)).rejects.toBeInstanceOf(InvalidStateError);
    notebookIs("Stopping");
    await expect(restoreNotebookInstance.run(newClients(), record)).rejects.toBeInstanceOf(InvalidStateError);
    expect(sm).not.toHaveReceivedCommand(StartNotebookInstanceCommand);
  });
});

describe("restore-ec2-instance", () => {
  const ID = "i-0a1b2c3d4e5f60001";
  const record = undo("ec2:instance", `arn:aws:ec2:us-east-1:123456789012:instance/${ID}`, "stop", {
    region: "us-east-1",
    instanceId: ID,
  });
  const instanceIs = (state: string) =>
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: ID, State: { Name: state as "stopped" } }] }],
    });

  it("starts a stopped instance", async () => {
    instanceIs("stopped");
    await restoreEc2Instance.run(newClients(), record);
    expect(ec2.commandCalls(StartInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [ID] });
  });

  it.each(["running", "pending"])("is already restored when %s", async (state) => {
    instanceIs(state);
    await restoreEc2Instance.run(newClients(), record);
    expect(ec2).not.toHaveReceivedCommand(StartInstancesCommand);
  });

  it.each(["stopping", "terminated"])("refuses to start from %s", async (state) => {
    instanceIs(state);
    await expect(restoreEc2Instance.run(newClients(), record)).rejects.toBeInstanceOf(InvalidStateError);
    expect(ec2).not.toHaveReceivedCommand(StartInstancesCommand);
  });
});

describe("restore-studio-app", () => {
  const spec = {
    InstanceType: "ml.g5.xlarge",
    SageMakerImageArn: "arn:aws:sagemaker:us-east-1:081325390199:image/x",
  };
  const record = undo(
    "sagemaker:app",
    "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc123/alice-space/jupyterlab/default",
    "delete",
    {
      region: "us-east-1",
      domainId: "d-abc123",
      spaceName: "Alice-Space",
      appType: "JupyterLab",
      appName: "default",
      instanceType: "ml.g5.xlarge",
      resourceSpec: spec,
      tags: { owner: "alice@example.com" },
    },
  );

  it.each([
    ["Deleted", () => sm.on(DescribeAppCommand).resolves({ Status: "Deleted" })],
    ["gone", () => sm.on(DescribeAppCommand).rejects(awsError("ResourceNotFound", "App does not exist"))],
  ])("re-creates the app with the same ResourceSpec and tags when %s", async (_state, arrange) => {
    arrange();
    await restoreStudioApp.run(newClients(), record);
    expect(sm.commandCalls(CreateAppCommand)[0]!.args[0].input).toEqual({
      DomainId: "d-abc123",
      SpaceName: "Alice-Space",
      AppType: "JupyterLab",
      AppName: "default",
      ResourceSpec: spec,
      Tags: [{ Key: "owner", Value: "alice@example.com" }],
    });
  });

  it("is already restored when the app is InService", async () => {
    sm.on(DescribeAppCommand).resolves({ Status: "InService" });
    await restoreStudioApp.run(newClients(), record);
    expect(sm).not.toHaveReceivedCommand(CreateAppCommand);
  });

  it("refuses while the old app is still Deleting", async () => {
    sm.on(DescribeAppCommand).resolves({ Status: "Deleting" });
    await expect(restoreStudioApp.run(newClients(), record)).rejects.toBeInstanceOf(InvalidStateError);
    expect(sm).not.toHaveReceivedCommand(CreateAppCommand);
  });
});
