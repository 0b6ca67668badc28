import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { restoreEndpoint } from "../../../shared/actions/restore-endpoint.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../../../shared/errors.ts";
import type { UndoRecord } from "../../../shared/store/workflow-types.ts";
import {
  ASYNC_CONFIG,
  DATA_CAPTURE,
  DESCRIBE_CONFIG,
  describeModel,
  ENDPOINT_ARN,
  VARIANTS,
} from "./endpoint-fixtures.ts";
import { awsError, newClients } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
let log: string[];
const missing = (what: string) => awsError("ValidationException", `Could not find ${what}.`);

/** What delete-endpoint saved (as read back from the store: plain JSON). */
function undoRecord(): UndoRecord {
  return {
    findingId: "idle-endpoint:x",
    resourceArn: ENDPOINT_ARN,
    resourceType: "sagemaker:endpoint",
    action: "delete",
    savedAt: "2025-03-12T09:30:00.000Z",
    data: JSON.parse(
      JSON.stringify({
        region: "us-east-1",
        endpointName: "recsys-ab-test",
        endpointArn: ENDPOINT_ARN,
        endpointConfigName: "recsys-ab-test-config",
        endpointConfig: DESCRIBE_CONFIG,
        modelNames: ["recsys-model-a", "recsys-model-b"],
        models: [describeModel("recsys-model-a"), describeModel("recsys-model-b")],
        tags: { owner: "li@example.com", team: "personalization", "aws:cloudformation:stack-name": "recsys" },
        runningVariants: [],
      }),
    ),
  };
}

beforeEach(() => {
  sm.reset();
  log = [];
  sm.on(DescribeEndpointCommand).rejects(missing('endpoint "recsys-ab-test"'));
  sm.on(DescribeModelCommand).callsFake((input) => describeModel(input.ModelName));
  sm.on(DescribeEndpointConfigCommand).resolves(DESCRIBE_CONFIG);
  sm.on(CreateModelCommand).callsFake((input) => {
    log.push(`CreateModel ${input.ModelName}`);
    return {};
  });
  sm.on(CreateEndpointConfigCommand).callsFake((input) => {
    log.push(`CreateEndpointConfig ${input.EndpointConfigName}`);
    return {};
  });
  sm.on(CreateEndpointCommand).callsFake((input) => {
    log.push(`CreateEndpoint ${input.EndpointName}`);
    return { EndpointArn: ENDPOINT_ARN };
  });
});

describe("restore-endpoint", () => {
  it("re-creates the endpoint from the kept config with the saved tags (AWS-reserved tags left out)", async () => {
    const { detail } = await restoreEndpoint.run(newClients(), undoRecord());

    expect(log).toEqual(["CreateEndpoint recsys-ab-test"]);
    expect(sm.commandCalls(CreateEndpointCommand)[0]!.args[0].input).toEqual({
      EndpointName: "recsys-ab-test",
      EndpointConfigName: "recsys-ab-test-config",
      Tags: [
        { Key: "owner", Value: "li@example.com" },
        { Key: "team", Value: "personalization" },
      ],
    });
    expect(sm).not.toHaveReceivedCommand(CreateEndpointConfigCommand);
    expect(sm).not.toHaveReceivedCommand(CreateModelCommand);
    expect(detail).toContain("re-created endpoint recsys-ab-test");
    expect(detail).toContain("aws:cloudformation:stack-name");
  });

  it("re-creates a deleted endpoint config under the same name from the saved variants, then the endpoint", async () => {
    sm.on(DescribeEndpointConfigCommand).rejects(missing('endpoint configuration "recsys-ab-test-config"'));

    const { detail } = await restoreEndpoint.run(newClients(), undoRecord());

    expect(log).toEqual(["CreateEndpointConfig recsys-ab-test-config", "CreateEndpoint recsys-ab-test"]);
    expect(sm).toHaveReceivedCommandWith(CreateEndpointConfigCommand, {
      EndpointConfigName: "recsys-ab-test-config",
      ProductionVariants: VARIANTS,
      AsyncInferenceConfig: ASYNC_CONFIG,
      DataCaptureConfig: DATA_CAPTURE,
    });
    expect(detail).toContain("re-created endpoint config recsys-ab-test-config first");
  });

  it("re-creates deleted models from their saved descriptions before the config", async () => {
    sm.on(DescribeEndpointConfigCommand).rejects(missing('endpoint configuration "recsys-ab-test-config"'));
    sm.on(DescribeModelCommand, { ModelName: "recsys-model-b" }).rejects(missing('model "recsys-model-b"'));

    await restoreEndpoint.run(newClients(), undoRecord());

    expect(log).toEqual([
      "CreateModel recsys-model-b",
      "CreateEndpointConfig recsys-ab-test-config",
      "CreateEndpoint recsys-ab-test",
    ]);
    const saved = describeModel("recsys-model-b");
    expect(sm.commandCalls(CreateModelCommand)[0]!.args[0].input).toEqual({
      ModelName: "recsys-model-b",
      PrimaryContainer: saved.PrimaryContainer,
      ExecutionRoleArn: saved.ExecutionRoleArn,
      EnableNetworkIsolation: false,
    });
  });

  it("is already restored when an endpoint of that name is InService: nothing created", async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointName: "recsys-ab-test", EndpointStatus: "InService" });

    const { detail } = await restoreEndpoint.run(newClients(), undoRecord());

    expect(detail).toContain("already restored");
    expect(log).toEqual([]);
  });

  it("counts a create that lost a race to another restore as already restored", async () => {
    sm.on(CreateEndpointCommand).rejects(
      awsError("ValidationException", `Cannot create already existing endpoint "${ENDPOINT_ARN}".`),
    );
    const { detail } = await restoreEndpoint.run(newClients(), undoRecord());
    expect(detail).toContain("already restored");
  });

  it.each(["Deleting", "Failed", "Updating"])(
    "refuses to touch an endpoint of that name that is %s",
    async (status) => {
      sm.on(DescribeEndpointCommand).resolves({
        EndpointName: "recsys-ab-test",
        EndpointStatus: status as "Failed",
      });
      await expect(restoreEndpoint.run(newClients(), undoRecord())).rejects.toBeInstanceOf(InvalidStateError);
      expect(log).toEqual([]);
    },
  );

  it("refuses an undo record without the saved config", async () => {
    const undo = undoRecord();
    delete undo.data.endpointConfig;
    await expect(restoreEndpoint.run(newClients(), undo)).rejects.toBeInstanceOf(InvalidUndoRecordError);
    expect(sm.calls()).toHaveLength(0);
  });
});
