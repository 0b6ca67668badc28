import { sagemakerArn } from "../../arn.ts";
import { reqString } from "../../protocol/input.ts";
import type { JsonHandler } from "../../service.ts";
import { byCreation, byName, listPage, validation } from "./common.ts";

const ListModels: JsonHandler = (input, ctx) => {
  const { page, nextToken } = listPage(input, "ListModels", ctx.scenario.sagemaker.models, {
    sortKeys: { Name: byName, CreationTime: byCreation },
    defaultSortBy: "CreationTime",
    defaultOrder: "Descending",
  });
  return {
    Models: page.map((m) => ({
      ModelName: m.name,
      ModelArn: sagemakerArn(ctx.scenario, "model", m.name),
      CreationTime: new Date(m.creationTime),
    })),
    NextToken: nextToken,
  };
};

const DescribeModel: JsonHandler = (input, ctx) => {
  const name = reqString(input, "ModelName");
  const m = ctx.scenario.sagemaker.models.find((x) => x.name === name);
  if (!m) throw validation(`Could not find model "${sagemakerArn(ctx.scenario, "model", name)}".`);
  return {
    ModelName: m.name,
    ModelArn: sagemakerArn(ctx.scenario, "model", m.name),
    PrimaryContainer: { Image: m.image, ModelDataUrl: m.modelDataUrl, Mode: "SingleModel" },
    ExecutionRoleArn: m.executionRoleArn,
    CreationTime: new Date(m.creationTime),
  };
};

export const modelOperations: Record<string, JsonHandler> = { ListModels, DescribeModel };
