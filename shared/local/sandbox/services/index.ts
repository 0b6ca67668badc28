import type { ServiceDef } from "../service.ts";
import { budgets } from "./budgets.ts";
import { cloudwatch } from "./cloudwatch/index.ts";
import { costExplorer } from "./cost-explorer/index.ts";
import { ec2 } from "./ec2/index.ts";
import { sagemaker } from "./sagemaker/index.ts";
import { sts } from "./sts.ts";
import { tagging } from "./tagging.ts";

/** The services the sandbox account speaks out of the box. */
export const defaultServices: readonly ServiceDef[] = [
  sagemaker,
  cloudwatch,
  tagging,
  costExplorer,
  budgets,
  sts,
  ec2,
];
