import {
  DescribeNotebookInstanceCommand,
  SageMakerClient,
  StopNotebookInstanceCommand,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { stopNotebookInstance } from "../../../shared/actions/stop-notebook-instance.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
const ARN = "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/maria-exploration";
const finding = findingFor("sagemaker:notebook-instance", "Maria-Exploration", ARN);

function describes(status: string) {
  sm.on(DescribeNotebookInstanceCommand, { NotebookInstanceName: "Maria-Exploration" }).resolves({
    NotebookInstanceName: "Maria-Exploration",
    NotebookInstanceStatus: status as "InService",
    InstanceType: "ml.p3.2xlarge",
  });
}

beforeEach(() => {
  sm.reset();
  sm.on(StopNotebookInstanceCommand).resolves({});
});

describe("stop-notebook-instance", () => {
  it("stops an InService notebook by its exact name, saving the undo record first", async () => {
    describes("InService");
    const log: string[] = [];
    sm.on(StopNotebookInstanceCommand).callsFake(() => {
      log.push("StopNotebookInstance");
      return {};
    });
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await stopNotebookInstance.run(newClients(), finding, saveUndo);

    expect(sm).toHaveReceivedCommandTimes(StopNotebookInstanceCommand, 1);
    expect(sm).toHaveReceivedCommandWith(StopNotebookInstanceCommand, {
      NotebookInstanceName: "Maria-Exploration",
    });
    expect(log).toEqual(["saveUndo", "StopNotebookInstance"]);
    const undo = {
      resourceArn: ARN,
      resourceType: "sagemaker:notebook-instance",
      action: "stop",
      data: { region: "us-east-1", notebookInstanceName: "Maria-Exploration" },
    };
    expect(saved).toEqual([undo]);
    expect(outcome).toMatchObject({ result: "done", fromState: "InService", undo });
    expect(outcome.detail).toContain("ml.p3.2xlarge");
  });

  it.each(["Stopped", "Stopping"])("is already done when %s: no stop sent, no undo", async (status) => {
    describes(status);
    const { saved, saveUndo } = undoRecorder();

    const outcome = await stopNotebookInstance.run(newClients(), finding, saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: status });
    expect(sm).not.toHaveReceivedCommand(StopNotebookInstanceCommand);
    expect(saved).toEqual([]);
  });

  it("treats a notebook that no longer exists (ValidationException RecordNotFound) as already done", async () => {
    sm.on(DescribeNotebookInstanceCommand).rejects(awsError("ValidationException", "RecordNotFound"));

    const outcome = await stopNotebookInstance.run(newClients(), finding, undoRecorder().saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sm).not.toHaveReceivedCommand(StopNotebookInstanceCommand);
  });

  it.each(["Pending", "Updating", "Failed", "Deleting"])(
    "refuses to act from %s with InvalidStateError and sends no stop",
    async (status) => {
      describes(status);
      const { saved, saveUndo } = undoRecorder();

      const error = await stopNotebookInstance.run(newClients(), finding, saveUndo).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidStateError);
      expect(error).toMatchObject({ name: "InvalidStateError", state: status, validStates: ["InService"] });
      expect(sm).not.toHaveReceivedCommand(StopNotebookInstanceCommand);
      expect(saved).toEqual([]);
    },
  );

  it("lets other errors through (a throttled describe is not 'gone')", async () => {
    sm.on(DescribeNotebookInstanceCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));

    await expect(
      stopNotebookInstance.run(newClients(), finding, undoRecorder().saveUndo),
    ).rejects.toMatchObject({
      name: "ThrottlingException",
    });
    expect(sm).not.toHaveReceivedCommand(StopNotebookInstanceCommand);
  });

  it("does not stop when the undo record cannot be saved", async () => {
    describes("InService");
    const failing = async () => {
      throw new Error("store down");
    };

    await expect(stopNotebookInstance.run(newClients(), finding, failing)).rejects.toThrow("store down");
    expect(sm).not.toHaveReceivedCommand(StopNotebookInstanceCommand);
  });

  it("calls the finding's region", async () => {
    describes("InService");
    const other = findingFor("sagemaker:notebook-instance", "Maria-Exploration", ARN, {
      region: "eu-west-1",
    });

    await stopNotebookInstance.run(newClients(), other, undoRecorder().saveUndo);

    const client = sm.commandCalls(StopNotebookInstanceCommand)[0]!.thisValue as SageMakerClient;
    expect(await client.config.region()).toBe("eu-west-1");
  });
});
