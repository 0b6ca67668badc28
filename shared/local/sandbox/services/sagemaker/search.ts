import { sagemakerArn, tagPairs } from "../../arn.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import type { SbEndpoint, SbTrainingJob } from "../../types.ts";
import { validation } from "./common.ts";
import { variantSummary } from "./endpoints.ts";
import { type SearchableResource, searchPage } from "./search-expression.ts";
import { trainingJobDescription } from "./training.ts";

/**
 * Search over endpoints and training jobs: it returns tags (and, for jobs, their whole
 * config) with each record in one call, which is why the janitor uses it.
 */
const endpoints: SearchableResource<SbEndpoint> = {
  fields: ["EndpointStatus", "EndpointName", "EndpointConfigName"],
  read(e, name) {
    if (name === "EndpointStatus") return e.status;
    if (name === "EndpointName") return e.name;
    if (name === "EndpointConfigName") return e.configName;
    if (name.startsWith("Tags.")) return e.tags[name.slice("Tags.".length)];
    return undefined;
  },
  sortKeys: {
    LastModifiedTime: (e) => e.lastModifiedTime,
    CreationTime: (e) => e.creationTime,
    EndpointName: (e) => e.name,
    Name: (e) => e.name,
  },
};

const trainingJobs: SearchableResource<SbTrainingJob> = {
  fields: ["TrainingJobStatus", "TrainingJobName", "ResourceConfig.InstanceType"],
  read(j, name) {
    if (name === "TrainingJobStatus") return j.status;
    if (name === "TrainingJobName") return j.name;
    if (name === "ResourceConfig.InstanceType") return j.instanceType;
    if (name.startsWith("Tags.")) return j.tags[name.slice("Tags.".length)];
    return undefined;
  },
  sortKeys: {
    LastModifiedTime: (j) => j.lastModifiedTime,
    CreationTime: (j) => j.creationTime,
    TrainingJobName: (j) => j.name,
    Name: (j) => j.name,
  },
};

export const Search: JsonHandler = (input, ctx) => {
  const resource = reqString(input, "Resource");
  if (resource === "Endpoint") {
    const { items, nextToken } = searchPage(input, ctx.scenario.sagemaker.endpoints, endpoints);
    return {
      Results: items.map((e) => ({
        Endpoint: {
          EndpointName: e.name,
          EndpointArn: sagemakerArn(ctx.scenario, "endpoint", e.name),
          EndpointConfigName: e.configName,
          ProductionVariants: e.variants.map(variantSummary),
          EndpointStatus: e.status,
          CreationTime: new Date(e.creationTime),
          LastModifiedTime: new Date(e.lastModifiedTime),
          Tags: tagPairs(e.tags),
        },
      })),
      NextToken: nextToken,
    };
  }
  if (resource === "TrainingJob") {
    const { items, nextToken } = searchPage(input, ctx.scenario.sagemaker.trainingJobs, trainingJobs);
    return {
      Results: items.map((j) => ({
        TrainingJob: { ...trainingJobDescription(j, ctx), Tags: tagPairs(j.tags) },
      })),
      NextToken: nextToken,
    };
  }
  throw validation(`The sandbox supports Search on Resource=Endpoint or TrainingJob only, not ${resource}.`);
};
