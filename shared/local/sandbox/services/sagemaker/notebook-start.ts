import { sagemakerArn } from "../../arn.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { validation } from "./common.ts";

/**
 * StartNotebookInstance: from Stopped (or Failed, as AWS allows) to InService. AWS passes
 * through "Pending" for a few minutes; the sandbox lands on "InService" at once.
 */
const StartNotebookInstance: JsonHandler = (input, ctx) => {
  const name = reqString(input, "NotebookInstanceName");
  const n = ctx.scenario.sagemaker.notebookInstances.find((x) => x.name === name);
  // AWS's actual answer for an unknown notebook instance.
  if (!n) throw validation("RecordNotFound");
  if (n.status !== "Stopped" && n.status !== "Failed") {
    throw validation(
      `Status (${n.status}) not in ([Stopped, Failed]). Unable to transition to (Pending) for Notebook Instance (${sagemakerArn(ctx.scenario, "notebook-instance", n.name)}).`,
    );
  }
  n.status = "InService";
  n.lastModifiedTime = ctx.now;
  return {};
};

export const notebookStartOperations: Record<string, JsonHandler> = { StartNotebookInstance };
