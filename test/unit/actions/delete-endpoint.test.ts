import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListTagsCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteEndpoint } from "../../../shared/actions/delete-endpoint.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import {
  ASYNC_CONFIG,
  DATA_CAPTURE,
  DESCRIBE_CONFIG,
  DESCRIBE_ENDPOINT,
  describeModel,
  ENDPOINT_ARN,
  TAGS_PAGE_1,
  TAGS_PAGE_2,
  VARIANTS,
} from "./endpoint-fixtures.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
const finding = findingFor("sagemaker:endpoint", "recsys-ab-test", ENDPOINT_ARN);
let log: string[];

function endpointIs(status: string) {
  sm.on(DescribeEndpointCommand).callsFake((input) => {
    log.push(`DescribeEndpoint ${input.EndpointName}`);
    return { ...DESCRIBE_ENDPOINT, EndpointStatus: status };
  });
}

beforeEach(() => {
  sm.reset();
  log = [];
  sm.on(DescribeEndpointConfigCommand).callsFake((input) => {
    log.push(`DescribeEndpointConfig ${input.EndpointConfigName}`);
    return DESCRIBE_CONFIG;
  });
  sm.on(DescribeModelCommand).callsFake((input) => {
    log.push(`DescribeModel ${input.ModelName}`);
    return describeModel(input.ModelName);
  });
  sm.on(ListTagsCommand).callsFake((input) => {
    log.push(`ListTags ${input.NextToken ?? "first"}`);
    return input.NextToken ? { Tags: TAGS_PAGE_2 } : { Tags: TAGS_PAGE_1, NextToken: "page-2" };
  });
  sm.on(DeleteEndpointCommand).callsFake((input) => {
    log.push(`DeleteEndpoint ${input.EndpointName}`);
    return {};
  });
});

describe("delete-endpoint", () => {
  it("reads config, models and every page of tags, saves the undo record, and only then deletes", async () => {
    endpointIs("InService");
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await deleteEndpoint.run(newClients(), finding, saveUndo);

    expect(log).toEqual([
      "DescribeEndpoint recsys-ab-test",
      "DescribeEndpointConfig recsys-ab-test-config",
      "DescribeModel recsys-model-a",
      "DescribeModel recsys-model-b",
      "ListTags first",
      "ListTags page-2",
      "saveUndo",
      "DeleteEndpoint recsys-ab-test",
    ]);
    expect(sm).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: ENDPOINT_ARN, MaxResults: 100 });
    expect(sm).toHaveReceivedCommandTimes(DeleteEndpointCommand, 1);
    expect(sm).toHaveReceivedCommandWith(DeleteEndpointCommand, { EndpointName: "recsys-ab-test" });
    // Endpoint configs and models are kept.
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointConfigCommand);
    expect(sm).not.toHaveReceivedCommand(DeleteModelCommand);

    expect(saved).toHaveLength(1);
    const undo = saved[0]!;
    expect(undo).toMatchObject({
      resourceArn: ENDPOINT_ARN,
      resourceType: "sagemaker:endpoint",
      action: "delete",
    });
    expect(undo.data).toEqual({
      region: "us-east-1",
      endpointName: "recsys-ab-test",
      endpointArn: ENDPOINT_ARN,
      endpointConfigName: "recsys-ab-test-config",
      endpointConfig: {
        EndpointConfigName: "recsys-ab-test-config",
        EndpointConfigArn: DESCRIBE_CONFIG.EndpointConfigArn,
        ProductionVariants: VARIANTS,
        AsyncInferenceConfig: ASYNC_CONFIG,
        DataCaptureConfig: DATA_CAPTURE,
        CreationTime: "2025-01-01T00:00:00.000Z",
      },
      modelNames: ["recsys-model-a", "recsys-model-b"],
      models: ["recsys-model-a", "recsys-model-b"].map((name) => ({
        ...describeModel(name),
        CreationTime: "2024-12-01T00:00:00.000Z",
      })),
      tags: {
        owner: "li@example.com",
        team: "personalization",
        environment: "staging",
        "aws:cloudformation:stack-name": "recsys",
      },
      runningVariants: [
        { variantName: "VariantA", currentInstanceCount: 2 },
        { variantName: "VariantB", currentInstanceCount: 1 },
      ],
    });
    // Plain JSON, storable as is.
    expect(JSON.parse(JSON.stringify(undo.data))).toEqual(undo.data);
    expect(outcome).toMatchObject({ result: "done", fromState: "InService", undo });
    expect(outcome.detail).toContain("kept endpoint config recsys-ab-test-config");
  });

  it.each(["OutOfService", "Failed"])("deletes from %s too", async (status) => {
    endpointIs(status);
    const outcome = await deleteEndpoint.run(newClients(), finding, undoRecorder(log).saveUndo);
    expect(outcome).toMatchObject({ result: "done", fromState: status });
    expect(log.indexOf("saveUndo")).toBeLessThan(log.indexOf("DeleteEndpoint recsys-ab-test"));
  });

  it("is already done when the endpoint is Deleting: nothing read, saved or deleted", async () => {
    endpointIs("Deleting");
    const { saved, saveUndo } = undoRecorder();

    const outcome = await deleteEndpoint.run(newClients(), finding, saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: "Deleting" });
    expect(log).toEqual(["DescribeEndpoint recsys-ab-test"]);
    expect(saved).toEqual([]);
  });

  it('treats "Could not find endpoint" (ValidationException) as already deleted', async () => {
    sm.on(DescribeEndpointCommand).rejects(
      awsError("ValidationException", `Could not find endpoint "${ENDPOINT_ARN}".`),
    );
    const { saved, saveUndo } = undoRecorder();

    const outcome = await deleteEndpoint.run(newClients(), finding, saveUndo);

    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(saved).toEqual([]);
  });

  it("does not mistake another ValidationException for 'gone'", async () => {
    sm.on(DescribeEndpointCommand).rejects(awsError("ValidationException", "1 validation error detected"));
    await expect(deleteEndpoint.run(newClients(), finding, undoRecorder().saveUndo)).rejects.toMatchObject({
      name: "ValidationException",
    });
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it.each(["Creating", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"])(
    "refuses to delete an endpoint that is %s: InvalidStateError, no undo, no delete",
    async (status) => {
      endpointIs(status);
      const { saved, saveUndo } = undoRecorder();

      const error = await deleteEndpoint.run(newClients(), finding, saveUndo).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InvalidStateError);
      expect(error).toMatchObject({ name: "InvalidStateError", state: status });
      expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
      expect(saved).toEqual([]);
    },
  );

  it("does not delete when the undo record cannot be saved", async () => {
    endpointIs("InService");
    const failing = async () => {
      throw new Error("store down");
    };

    await expect(deleteEndpoint.run(newClients(), finding, failing)).rejects.toThrow("store down");
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it("does not delete when the snapshot cannot be read (e.g. ListTags denied)", async () => {
    endpointIs("InService");
    sm.on(ListTagsCommand).rejects(awsError("AccessDeniedException", "not authorized"));
    const { saved, saveUndo } = undoRecorder();

    await expect(deleteEndpoint.run(newClients(), finding, saveUndo)).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    expect(saved).toEqual([]);
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it("does not delete an endpoint whose config is already gone: it could not be restored", async () => {
    endpointIs("InService");
    sm.on(DescribeEndpointConfigCommand).rejects(
      awsError("ValidationException", 'Could not find endpoint configuration "recsys-ab-test-config".'),
    );
    const { saved, saveUndo } = undoRecorder();

    await expect(deleteEndpoint.run(newClients(), finding, saveUndo)).rejects.toMatchObject({
      name: "ValidationException",
    });
    expect(saved).toEqual([]);
    expect(sm).not.toHaveReceivedCommand(DeleteEndpointCommand);
  });

  it("still deletes when a model was already deleted by someone: the snapshot names it without a description", async () => {
    endpointIs("InService");
    sm.on(DescribeModelCommand, { ModelName: "recsys-model-b" }).rejects(
      awsError("ValidationException", 'Could not find model "arn:aws:sagemaker:…:model/recsys-model-b".'),
    );
    const { saved, saveUndo } = undoRecorder();

    await deleteEndpoint.run(newClients(), finding, saveUndo);

    expect(saved[0]!.data.modelNames).toEqual(["recsys-model-a", "recsys-model-b"]);
    expect((saved[0]!.data.models as Array<{ ModelName: string }>).map((m) => m.ModelName)).toEqual([
      "recsys-model-a",
    ]);
    expect(sm).toHaveReceivedCommandTimes(DeleteEndpointCommand, 1);
  });
});
