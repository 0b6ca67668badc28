import { sagemakerArn } from "../../arn.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { optInt, optObject, optObjectArray, optString, reqString, tagList } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbEndpointConfigVariant, SbServerlessConfig } from "../../types.ts";
import { validation } from "./common.ts";

/**
 * CreateEndpointConfig, as a restore needs it: variants (instance or serverless), async
 * inference output, tags. Settings the sandbox does not model (data capture, KMS, shadow
 * variants, explainer, VPC…) are refused rather than dropped, so a caller never believes a
 * config holds what it does not.
 */
const UNMODELLED = [
  "DataCaptureConfig",
  "KmsKeyId",
  "ExplainerConfig",
  "ShadowProductionVariants",
  "ExecutionRoleArn",
  "VpcConfig",
  "EnableNetworkIsolation",
  "MetricsConfig",
];

function serverlessOf(input: JsonObject | undefined): SbServerlessConfig | undefined {
  if (!input) return undefined;
  const provisioned = optInt(input, "ProvisionedConcurrency", { min: 1 });
  return {
    memorySizeInMB: optInt(input, "MemorySizeInMB", { min: 1024, max: 6144 }) ?? 1024,
    maxConcurrency: optInt(input, "MaxConcurrency", { min: 1, max: 200 }) ?? 1,
    ...(provisioned !== undefined && { provisionedConcurrency: provisioned }),
  };
}

function variantOf(v: JsonObject, ctx: SandboxContext): SbEndpointConfigVariant {
  const modelName = reqString(v, "ModelName");
  if (!ctx.scenario.sagemaker.models.some((m) => m.name === modelName)) {
    throw validation(`Could not find model "${sagemakerArn(ctx.scenario, "model", modelName)}".`);
  }
  const instanceType = optString(v, "InstanceType");
  const count = optInt(v, "InitialInstanceCount", { min: 1 });
  const serverlessConfig = serverlessOf(optObject(v, "ServerlessConfig"));
  if (!serverlessConfig && (instanceType === undefined || count === undefined)) {
    throw validation(
      `Variant ${reqString(v, "VariantName")} needs InstanceType and InitialInstanceCount, or ServerlessConfig.`,
    );
  }
  return {
    variantName: reqString(v, "VariantName"),
    modelName,
    ...(instanceType !== undefined && { instanceType }),
    ...(count !== undefined && { initialInstanceCount: count }),
    ...(serverlessConfig && { serverlessConfig }),
  };
}

const CreateEndpointConfig: JsonHandler = (input, ctx) => {
  const name = reqString(input, "EndpointConfigName");
  const arn = sagemakerArn(ctx.scenario, "endpoint-config", name);
  const configs = ctx.scenario.sagemaker.endpointConfigs;
  if (configs.some((c) => c.name === name)) {
    throw validation(`Cannot create already existing endpoint configuration "${arn}".`);
  }
  const unmodelled = UNMODELLED.find((key) => input[key] !== undefined && input[key] !== null);
  if (unmodelled) throw validation(`The sandbox does not model ${unmodelled} in CreateEndpointConfig.`);
  const variants = (optObjectArray(input, "ProductionVariants") ?? []).map((v) => variantOf(v, ctx));
  if (variants.length < 1 || variants.length > 10) {
    throw validation("ProductionVariants must hold between 1 and 10 variants.");
  }
  const output = optObject(optObject(input, "AsyncInferenceConfig") ?? {}, "OutputConfig");
  const outputS3Uri = output && optString(output, "S3OutputPath");
  configs.push({
    name,
    creationTime: ctx.now,
    variants,
    ...(outputS3Uri !== undefined && { asyncInference: { outputS3Uri } }),
    tags: tagList(input, "Tags"),
  });
  return { EndpointConfigArn: arn };
};

export const endpointConfigCreateOperations: Record<string, JsonHandler> = { CreateEndpointConfig };
