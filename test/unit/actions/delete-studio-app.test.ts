import {
  DeleteAppCommand,
  DescribeAppCommand,
  ListTagsCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteStudioApp } from "../../../shared/actions/delete-studio-app.ts";
import { appKeyOf } from "../../../shared/actions/studio-app-key.ts";
import { InvalidStateError, UnknownResourceError } from "../../../shared/errors.ts";
import { awsError, findingFor, newClients, undoRecorder } from "./helpers.ts";

const sm = mockClient(SageMakerClient);
const SPACE_APP_ARN = "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc123/alice-space/jupyterlab/default";
const RESOURCE_SPEC = {
  InstanceType: "ml.g5.xlarge" as const,
  SageMakerImageArn: "arn:aws:sagemaker:us-east-1:081325390199:image/sagemaker-distribution-gpu",
  LifecycleConfigArn: "arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/heartbeat",
};

/** As the idle-studio-app detector reports a JupyterLab app of a space. */
const spaceFinding = findingFor("sagemaker:app", "d-abc123/Alice-Space/JupyterLab/default", SPACE_APP_ARN, {
  evidence: { domainId: "d-abc123", spaceName: "Alice-Space", appType: "JupyterLab", appName: "default" },
});

function appIs(status: string) {
  sm.on(DescribeAppCommand).resolves({
    AppArn: SPACE_APP_ARN,
    Status: status as "InService",
    ResourceSpec: RESOURCE_SPEC,
  });
}

beforeEach(() => {
  sm.reset();
  sm.on(ListTagsCommand).resolves({ Tags: [{ Key: "owner", Value: "alice@example.com" }] });
  sm.on(DeleteAppCommand).resolves({});
});

describe("delete-studio-app", () => {
  it("deletes an InService space app, after saving its ResourceSpec and tags", async () => {
    appIs("InService");
    const log: string[] = [];
    sm.on(DeleteAppCommand).callsFake(() => {
      log.push("DeleteApp");
      return {};
    });
    const { saved, saveUndo } = undoRecorder(log);

    const outcome = await deleteStudioApp.run(newClients(), spaceFinding, saveUndo);

    const key = {
      DomainId: "d-abc123",
      SpaceName: "Alice-Space",
      AppType: "JupyterLab" as const,
      AppName: "default",
    };
    expect(sm).toHaveReceivedCommandWith(DescribeAppCommand, key);
    expect(sm).toHaveReceivedCommandWith(ListTagsCommand, { ResourceArn: SPACE_APP_ARN });
    expect(sm).toHaveReceivedCommandTimes(DeleteAppCommand, 1);
    expect(sm.commandCalls(DeleteAppCommand)[0]!.args[0].input).toEqual(key);
    expect(log).toEqual(["saveUndo", "DeleteApp"]);
    expect(saved).toEqual([
      {
        resourceArn: SPACE_APP_ARN,
        resourceType: "sagemaker:app",
        action: "delete",
        data: {
          region: "us-east-1",
          domainId: "d-abc123",
          spaceName: "Alice-Space",
          appType: "JupyterLab",
          appName: "default",
          instanceType: "ml.g5.xlarge",
          resourceSpec: RESOURCE_SPEC,
          tags: { owner: "alice@example.com" },
        },
      },
    ]);
    expect(outcome).toMatchObject({ result: "done", fromState: "InService" });
  });

  it.each(["Deleted", "Deleting"])("is already done when %s: no delete sent", async (status) => {
    appIs(status);
    const { saved, saveUndo } = undoRecorder();
    const outcome = await deleteStudioApp.run(newClients(), spaceFinding, saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: status });
    expect(sm).not.toHaveReceivedCommand(DeleteAppCommand);
    expect(saved).toEqual([]);
  });

  it("treats ResourceNotFound as already deleted", async () => {
    sm.on(DescribeAppCommand).rejects(awsError("ResourceNotFound", "App does not exist."));
    const outcome = await deleteStudioApp.run(newClients(), spaceFinding, undoRecorder().saveUndo);
    expect(outcome).toMatchObject({ result: "already", fromState: "gone" });
    expect(sm).not.toHaveReceivedCommand(DeleteAppCommand);
  });

  it.each(["Pending", "Failed"])("refuses to act from %s with InvalidStateError", async (status) => {
    appIs(status);
    const { saved, saveUndo } = undoRecorder();
    const error = await deleteStudioApp.run(newClients(), spaceFinding, saveUndo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(sm).not.toHaveReceivedCommand(DeleteAppCommand);
    expect(saved).toEqual([]);
  });

  it("addresses a user profile's app when the evidence names the profile", async () => {
    appIs("InService");
    const arn =
      "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc123/bob/kernelgateway/datascience-1-0-ml-t3-medium-1abc";
    const finding = findingFor(
      "sagemaker:app",
      "d-abc123/Bob/KernelGateway/datascience-1-0-ml-t3-medium-1abc",
      arn,
      {
        evidence: { userProfileName: "Bob" },
      },
    );

    await deleteStudioApp.run(newClients(), finding, undoRecorder().saveUndo);

    expect(sm.commandCalls(DeleteAppCommand)[0]!.args[0].input).toEqual({
      DomainId: "d-abc123",
      UserProfileName: "Bob",
      AppType: "KernelGateway",
      AppName: "datascience-1-0-ml-t3-medium-1abc",
    });
  });
});

describe("appKeyOf (which app a finding names)", () => {
  it("falls back to the lowercase ARN, restoring the API's spelling of the app type", () => {
    const finding = findingFor("sagemaker:app", "some-other-id", SPACE_APP_ARN);
    expect(appKeyOf(finding)).toEqual({
      domainId: "d-abc123",
      spaceName: "alice-space",
      appType: "JupyterLab",
      appName: "default",
    });
  });

  it("assumes a user profile for Studio Classic app types when nothing says otherwise", () => {
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc123/bob/jupyterserver/default";
    expect(appKeyOf(findingFor("sagemaker:app", arn, arn))).toEqual({
      domainId: "d-abc123",
      userProfileName: "bob",
      appType: "JupyterServer",
      appName: "default",
    });
  });

  it("refuses a finding that does not name an app", () => {
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:space/d-abc123/alice-space";
    expect(() => appKeyOf(findingFor("sagemaker:app", "alice-space", arn))).toThrow(UnknownResourceError);
    const odd = "arn:aws:sagemaker:us-east-1:123456789012:app/d-abc123/alice/notatype/default";
    expect(() => appKeyOf(findingFor("sagemaker:app", "x", odd))).toThrow(UnknownResourceError);
  });
});
