import type { JsonService } from "../../service.ts";
import { endpointOperations } from "./endpoints.ts";
import { modelOperations } from "./models.ts";
import { notebookOperations } from "./notebooks.ts";
import { Search } from "./search.ts";
import { tagOperations } from "./tags.ts";
import { trainingOperations } from "./training.ts";

export const sagemaker: JsonService = {
  name: "SageMaker",
  signingName: "sagemaker",
  protocol: "awsJson1_1",
  target: "SageMaker",
  errors: {
    throttle: { code: "ThrottlingException", status: 400 },
    fault: { code: "InternalFailure", status: 500 },
    unknownOperation: { code: "UnknownOperationException", status: 400 },
    validation: { code: "ValidationException", status: 400 },
  },
  operations: {
    ...endpointOperations,
    ...modelOperations,
    ...notebookOperations,
    ...trainingOperations,
    ...tagOperations,
    Search,
  },
};
