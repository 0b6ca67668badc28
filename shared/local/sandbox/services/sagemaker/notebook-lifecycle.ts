/**
 * Notebook-instance lifecycle configurations and UpdateNotebookInstance, with AWS's rules:
 * at most one OnStart and one OnCreate hook, each base64 content of at most 16,384
 * characters; names unique; and an instance is updated only while `Stopped` (or `Failed`) —
 * so a lifecycle config can be attached to a running instance only after it is stopped.
 */
import { notebookLifecycleConfigArn, sagemakerArn } from "../../arn.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { optBool, optObjectArray, optString, reqString } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbNotebookLifecycleConfig } from "../../types.ts";
import { validation } from "./common.ts";

export const MAX_HOOK_CONTENT = 16_384;
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function hook(input: JsonObject, key: "OnStart" | "OnCreate"): string | undefined {
  const hooks = optObjectArray(input, key);
  if (hooks === undefined || hooks.length === 0) return undefined;
  if (hooks.length > 1) {
    throw validation(
      `1 validation error detected: Value at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to 1`,
    );
  }
  const content = optString(hooks[0]!, "Content") ?? "";
  if (content.length < 1 || content.length > MAX_HOOK_CONTENT) {
    throw validation(
      `1 validation error detected: Value at '${key.charAt(0).toLowerCase()}${key.slice(1)}.1.member.content' failed to satisfy constraint: Member must have length less than or equal to ${MAX_HOOK_CONTENT}`,
    );
  }
  if (content.length % 4 !== 0 || !BASE64.test(content)) {
    throw validation(`The ${key} content must be base64-encoded.`);
  }
  return content;
}

function configName(input: JsonObject): string {
  const name = reqString(input, "NotebookInstanceLifecycleConfigName");
  if (!NAME.test(name)) {
    throw validation(
      `1 validation error detected: Value '${name}' at 'notebookInstanceLifecycleConfigName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    );
  }
  return name;
}

function findConfig(ctx: SandboxContext, name: string, verb: string): SbNotebookLifecycleConfig {
  const c = ctx.scenario.sagemaker.notebookLifecycleConfigs.find((x) => x.name === name);
  if (!c) {
    throw validation(
      `Unable to ${verb} Notebook Instance Lifecycle Config '${name}'. (Details: Notebook Instance Lifecycle Config '${notebookLifecycleConfigArn(ctx.scenario, name)}' does not exist.)`,
    );
  }
  return c;
}

const CreateNotebookInstanceLifecycleConfig: JsonHandler = (input, ctx) => {
  const name = configName(input);
  const configs = ctx.scenario.sagemaker.notebookLifecycleConfigs;
  const arn = notebookLifecycleConfigArn(ctx.scenario, name);
  if (configs.some((c) => c.name === name)) {
    throw validation(
      `Unable to create Notebook Instance Lifecycle Config '${arn}'. (Details: it already exists.)`,
    );
  }
  const onStart = hook(input, "OnStart");
  const onCreate = hook(input, "OnCreate");
  configs.push({
    name,
    ...(onStart !== undefined ? { onStart } : {}),
    ...(onCreate !== undefined ? { onCreate } : {}),
    creationTime: ctx.now,
    lastModifiedTime: ctx.now,
  });
  return { NotebookInstanceLifecycleConfigArn: arn };
};

const DescribeNotebookInstanceLifecycleConfig: JsonHandler = (input, ctx) => {
  const c = findConfig(ctx, configName(input), "describe");
  return {
    NotebookInstanceLifecycleConfigArn: notebookLifecycleConfigArn(ctx.scenario, c.name),
    NotebookInstanceLifecycleConfigName: c.name,
    OnStart: c.onStart === undefined ? undefined : [{ Content: c.onStart }],
    OnCreate: c.onCreate === undefined ? undefined : [{ Content: c.onCreate }],
    CreationTime: new Date(c.creationTime),
    LastModifiedTime: new Date(c.lastModifiedTime),
  };
};

/** Replaces the hooks given; a hook left out stays as it was, as in AWS. */
const UpdateNotebookInstanceLifecycleConfig: JsonHandler = (input, ctx) => {
  const c = findConfig(ctx, configName(input), "update");
  const onStart = hook(input, "OnStart");
  const onCreate = hook(input, "OnCreate");
  if (onStart !== undefined) c.onStart = onStart;
  if (onCreate !== undefined) c.onCreate = onCreate;
  c.lastModifiedTime = ctx.now;
  return {};
};

/**
 * Only the lifecycle-config part of UpdateNotebookInstance (what the janitor sets); AWS goes
 * through "Updating" back to "Stopped", the sandbox stays "Stopped".
 */
const UpdateNotebookInstance: JsonHandler = (input, ctx) => {
  const name = reqString(input, "NotebookInstanceName");
  const n = ctx.scenario.sagemaker.notebookInstances.find((x) => x.name === name);
  if (!n) throw validation("RecordNotFound");
  if (n.status !== "Stopped" && n.status !== "Failed") {
    throw validation(
      `Status (${n.status}) not in ([Stopped, Failed]). Unable to transition to (Updating) for Notebook Instance (${sagemakerArn(ctx.scenario, "notebook-instance", n.name)}).`,
    );
  }
  const lc = optString(input, "LifecycleConfigName");
  const detach = optBool(input, "DisassociateLifecycleConfig") ?? false;
  if (lc !== undefined && detach) {
    throw validation("LifecycleConfigName and DisassociateLifecycleConfig cannot both be specified.");
  }
  if (lc !== undefined) {
    findConfig(ctx, lc, "find");
    n.lifecycleConfigName = lc;
  }
  if (detach) delete n.lifecycleConfigName;
  n.lastModifiedTime = ctx.now;
  return {};
};

export const notebookLifecycleOperations: Record<string, JsonHandler> = {
  CreateNotebookInstanceLifecycleConfig,
  DescribeNotebookInstanceLifecycleConfig,
  UpdateNotebookInstanceLifecycleConfig,
  UpdateNotebookInstance,
};
