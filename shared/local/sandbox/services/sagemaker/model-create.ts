import { sagemakerArn } from "../../arn.ts";
import { optObject, optObjectArray, optString, reqString, tagList } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { validation } from "./common.ts";

/**
 * CreateModel for single-container models (what the sandbox models): the image, model data
 * and execution role. Multi-container models and VPC settings are refused, not dropped.
 */
const CreateModel: JsonHandler = (input, ctx) => {
  const name = reqString(input, "ModelName");
  const arn = sagemakerArn(ctx.scenario, "model", name);
  const models = ctx.scenario.sagemaker.models;
  if (models.some((m) => m.name === name)) throw validation(`Cannot create already existing model "${arn}".`);
  const containers = optObjectArray(input, "Containers");
  if (containers && containers.length > 1) {
    throw validation("The sandbox models single-container models only (Containers has more than one).");
  }
  if (optObject(input, "VpcConfig") || optObject(input, "InferenceExecutionConfig")) {
    throw validation("The sandbox does not model VpcConfig or InferenceExecutionConfig in CreateModel.");
  }
  const container = optObject(input, "PrimaryContainer") ?? containers?.[0];
  if (!container) throw validation("Either PrimaryContainer or Containers must be provided.");
  const modelDataUrl = optString(container, "ModelDataUrl");
  models.push({
    name,
    image: reqString(container, "Image"),
    ...(modelDataUrl !== undefined && { modelDataUrl }),
    executionRoleArn: reqString(input, "ExecutionRoleArn"),
    creationTime: ctx.now,
    tags: tagList(input, "Tags"),
  });
  return { ModelArn: arn };
};

export const modelCreateOperations: Record<string, JsonHandler> = { CreateModel };
