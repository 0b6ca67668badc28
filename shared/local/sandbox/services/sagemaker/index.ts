import type { JsonService } from "../../service.ts";
import { endpointConfigCreateOperations } from "./endpoint-config-create.ts";
import { endpointOperations } from "./endpoints.ts";
import { modelCreateOperations } from "./model-create.ts";
import { modelOperations } from "./models.ts";
import { notebookLifecycleOperations } from "./notebook-lifecycle.ts";
import { notebookStartOperations } from "./notebook-start.ts";
import { notebookOperations } from "./notebooks.ts";
import { processingOperations } from "./processing.ts";
import { Search } from "./search.ts";
import { studioOperations } from "./studio.ts";
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
    ...endpointConfigCreateOperations,
    ...modelOperations,
    ...modelCreateOperations,
    ...notebookOperations,
    ...notebookLifecycleOperations,
    ...studioOperations,
    ...notebookStartOperations,
    ...trainingOperations,
    ...processingOperations,
    ...tagOperations,
    Search,
  },
};
