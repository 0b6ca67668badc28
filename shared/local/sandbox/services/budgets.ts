import { SandboxError } from "../errors.ts";
import { optInt, reqString } from "../protocol/input.ts";
import type { JsonService } from "../service.ts";

/**
 * AWS Budgets (AWS JSON 1.1, target `AWSBudgetServiceGateway`): DescribeBudgets for the
 * sandbox account, which keeps no budgets in AWS Budgets (its budgets are in janitor.yml).
 */
export const budgets: JsonService = {
  name: "Budgets",
  signingName: "budgets",
  protocol: "awsJson1_1",
  target: "AWSBudgetServiceGateway",
  errors: {
    throttle: { code: "ThrottlingException", status: 400 },
    fault: { code: "InternalErrorException", status: 500 },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "InvalidParameterException", status: 400 },
  },
  operations: {
    DescribeBudgets: (input, ctx) => {
      const account = reqString(input, "AccountId");
      if (account !== ctx.scenario.accountId) {
        throw new SandboxError("AccessDeniedException", `Not authorized for account ${account}.`);
      }
      optInt(input, "MaxResults", { min: 1, max: 100 });
      return { Budgets: [] };
    },
  },
};
