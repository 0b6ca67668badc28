import { sagemakerArn } from "../../arn.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbNotebookInstance } from "../../types.ts";
import { byCreation, byName, listPage, validation } from "./common.ts";

function findNotebook(ctx: SandboxContext, name: string): SbNotebookInstance {
  const n = ctx.scenario.sagemaker.notebookInstances.find((x) => x.name === name);
  // AWS's actual answer for an unknown notebook instance.
  if (!n) throw validation("RecordNotFound");
  return n;
}

const url = (ctx: SandboxContext, n: SbNotebookInstance) =>
  `${n.name.toLowerCase()}.notebook.${ctx.scenario.region}.sagemaker.aws`;

const ListNotebookInstances: JsonHandler = (input, ctx) => {
  const { page, nextToken } = listPage(
    input,
    "ListNotebookInstances",
    ctx.scenario.sagemaker.notebookInstances,
    {
      status: (n) => n.status,
      sortKeys: { Name: byName, CreationTime: byCreation, Status: (n) => n.status },
      defaultSortBy: "Name",
      defaultOrder: "Descending",
    },
  );
  return {
    NotebookInstances: page.map((n) => ({
      NotebookInstanceName: n.name,
      NotebookInstanceArn: sagemakerArn(ctx.scenario, "notebook-instance", n.name),
      NotebookInstanceStatus: n.status,
      Url: url(ctx, n),
      InstanceType: n.instanceType,
      CreationTime: new Date(n.creationTime),
      LastModifiedTime: new Date(n.lastModifiedTime),
      NotebookInstanceLifecycleConfigName: n.lifecycleConfigName,
    })),
    NextToken: nextToken,
  };
};

const DescribeNotebookInstance: JsonHandler = (input, ctx) => {
  const n = findNotebook(ctx, reqString(input, "NotebookInstanceName"));
  return {
    NotebookInstanceArn: sagemakerArn(ctx.scenario, "notebook-instance", n.name),
    NotebookInstanceName: n.name,
    NotebookInstanceStatus: n.status,
    Url: url(ctx, n),
    InstanceType: n.instanceType,
    RoleArn: `arn:aws:iam::${ctx.scenario.accountId}:role/SageMakerNotebookRole`,
    LastModifiedTime: new Date(n.lastModifiedTime),
    CreationTime: new Date(n.creationTime),
    NotebookInstanceLifecycleConfigName: n.lifecycleConfigName,
    DirectInternetAccess: "Enabled",
    VolumeSizeInGB: n.volumeSizeInGB,
    RootAccess: "Enabled",
    PlatformIdentifier: "notebook-al2-v2",
  };
};

/** AWS goes through "Stopping"; the sandbox lands on "Stopped" at once. */
const StopNotebookInstance: JsonHandler = (input, ctx) => {
  const n = findNotebook(ctx, reqString(input, "NotebookInstanceName"));
  if (n.status !== "InService")
    throw validation(
      `Status (${n.status}) not in ([InService]). Unable to transition to (Stopping) for Notebook Instance (${sagemakerArn(ctx.scenario, "notebook-instance", n.name)}).`,
    );
  n.status = "Stopped";
  n.lastModifiedTime = ctx.now;
  return {};
};

export const notebookOperations: Record<string, JsonHandler> = {
  ListNotebookInstances,
  DescribeNotebookInstance,
  StopNotebookInstance,
};
