import { sagemakerArn } from "../../arn.ts";
import type { JsonObject } from "../../protocol/input.ts";
import { reqString, tagList } from "../../protocol/input.ts";
import type { JsonHandler, SandboxContext } from "../../service.ts";
import type { SbEndpoint, SbEndpointConfig, SbEndpointVariant, SbServerlessConfig } from "../../types.ts";
import { byCreation, byName, listPage, validation } from "./common.ts";

export function findEndpoint(ctx: SandboxContext, name: string): SbEndpoint {
  const e = ctx.scenario.sagemaker.endpoints.find((x) => x.name === name);
  if (!e) throw validation(`Could not find endpoint "${name}".`);
  return e;
}

export function findEndpointConfig(ctx: SandboxContext, name: string): SbEndpointConfig {
  const c = ctx.scenario.sagemaker.endpointConfigs.find((x) => x.name === name);
  if (!c) throw validation(`Could not find endpoint configuration "${name}".`);
  return c;
}

function serverless(c: SbServerlessConfig | undefined) {
  return (
    c && {
      MemorySizeInMB: c.memorySizeInMB,
      MaxConcurrency: c.maxConcurrency,
      ProvisionedConcurrency: c.provisionedConcurrency,
    }
  );
}

/** ProductionVariantSummary, as DescribeEndpoint and Search return it. */
export function variantSummary(v: SbEndpointVariant) {
  const weight = v.currentWeight ?? 1;
  return {
    VariantName: v.variantName,
    CurrentWeight: weight,
    DesiredWeight: weight,
    CurrentInstanceCount: v.currentInstanceCount,
    DesiredInstanceCount: v.currentInstanceCount,
    CurrentServerlessConfig: serverless(v.currentServerlessConfig),
    DesiredServerlessConfig: serverless(v.currentServerlessConfig),
  };
}

function asyncConfig(c: SbEndpointConfig | undefined) {
  return c?.asyncInference && { OutputConfig: { S3OutputPath: c.asyncInference.outputS3Uri } };
}

const ListEndpoints: JsonHandler = (input, ctx) => {
  const { page, nextToken } = listPage(input, "ListEndpoints", ctx.scenario.sagemaker.endpoints, {
    status: (e) => e.status,
    sortKeys: { Name: byName, CreationTime: byCreation, Status: (e) => e.status },
    defaultSortBy: "CreationTime",
    defaultOrder: "Descending",
  });
  return {
    Endpoints: page.map((e) => ({
      EndpointName: e.name,
      EndpointArn: sagemakerArn(ctx.scenario, "endpoint", e.name),
      CreationTime: new Date(e.creationTime),
      LastModifiedTime: new Date(e.lastModifiedTime),
      EndpointStatus: e.status,
    })),
    NextToken: nextToken,
  };
};

const DescribeEndpoint: JsonHandler = (input, ctx) => {
  const e = findEndpoint(ctx, reqString(input, "EndpointName"));
  const config = ctx.scenario.sagemaker.endpointConfigs.find((c) => c.name === e.configName);
  return {
    EndpointName: e.name,
    EndpointArn: sagemakerArn(ctx.scenario, "endpoint", e.name),
    EndpointConfigName: e.configName,
    ProductionVariants: e.variants.map(variantSummary),
    EndpointStatus: e.status,
    CreationTime: new Date(e.creationTime),
    LastModifiedTime: new Date(e.lastModifiedTime),
    AsyncInferenceConfig: asyncConfig(config),
  };
};

const DescribeEndpointConfig: JsonHandler = (input, ctx) => {
  const c = findEndpointConfig(ctx, reqString(input, "EndpointConfigName"));
  return {
    EndpointConfigName: c.name,
    EndpointConfigArn: sagemakerArn(ctx.scenario, "endpoint-config", c.name),
    ProductionVariants: c.variants.map((v) => ({
      VariantName: v.variantName,
      ModelName: v.modelName,
      InstanceType: v.instanceType,
      InitialInstanceCount: v.initialInstanceCount,
      InitialVariantWeight: 1,
      ServerlessConfig: serverless(v.serverlessConfig),
    })),
    CreationTime: new Date(c.creationTime),
    AsyncInferenceConfig: asyncConfig(c),
  };
};

/** The sandbox skips "Creating": the endpoint is InService at once, with the config's variants. */
const CreateEndpoint: JsonHandler = (input: JsonObject, ctx) => {
  const name = reqString(input, "EndpointName");
  const arn = sagemakerArn(ctx.scenario, "endpoint", name);
  const endpoints = ctx.scenario.sagemaker.endpoints;
  if (endpoints.some((e) => e.name === name))
    throw validation(`Cannot create already existing endpoint "${arn}".`);
  const config = findEndpointConfig(ctx, reqString(input, "EndpointConfigName"));
  endpoints.push({
    name,
    configName: config.name,
    status: "InService",
    creationTime: ctx.now,
    lastModifiedTime: ctx.now,
    variants: config.variants.map((v) => ({
      variantName: v.variantName,
      currentInstanceCount: v.initialInstanceCount,
      currentWeight: 1,
      currentServerlessConfig: v.serverlessConfig && { ...v.serverlessConfig },
    })),
    tags: tagList(input, "Tags"),
  });
  return { EndpointArn: arn };
};

/** AWS passes through "Deleting"; the sandbox removes it at once (its tags go with it). */
const DeleteEndpoint: JsonHandler = (input, ctx) => {
  const e = findEndpoint(ctx, reqString(input, "EndpointName"));
  const list = ctx.scenario.sagemaker.endpoints;
  list.splice(list.indexOf(e), 1);
  return {};
};

export const endpointOperations: Record<string, JsonHandler> = {
  ListEndpoints,
  DescribeEndpoint,
  DescribeEndpointConfig,
  CreateEndpoint,
  DeleteEndpoint,
};
