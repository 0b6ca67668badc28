/** SageMaker answers for one endpoint with two variants (A/B test), async output and data capture. */
export const ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/recsys-ab-test";

export const DESCRIBE_ENDPOINT = {
  EndpointName: "recsys-ab-test",
  EndpointArn: ENDPOINT_ARN,
  EndpointConfigName: "recsys-ab-test-config",
  EndpointStatus: "InService" as const,
  ProductionVariants: [
    { VariantName: "VariantA", CurrentInstanceCount: 2, CurrentWeight: 1 },
    { VariantName: "VariantB", CurrentInstanceCount: 1, CurrentWeight: 1 },
  ],
  CreationTime: new Date("2025-01-01T00:00:00Z"),
  LastModifiedTime: new Date("2025-01-02T00:00:00Z"),
};

export const VARIANTS = [
  {
    VariantName: "VariantA",
    ModelName: "recsys-model-a",
    InstanceType: "ml.c5.xlarge" as const,
    InitialInstanceCount: 1,
    InitialVariantWeight: 1,
  },
  {
    VariantName: "VariantB",
    ModelName: "recsys-model-b",
    InstanceType: "ml.c5.xlarge" as const,
    InitialInstanceCount: 1,
    InitialVariantWeight: 1,
  },
];

export const ASYNC_CONFIG = { OutputConfig: { S3OutputPath: "s3://ml-experiments/async-output/" } };

export const DATA_CAPTURE = {
  EnableCapture: true,
  InitialSamplingPercentage: 20,
  DestinationS3Uri: "s3://ml-experiments/capture/",
  CaptureOptions: [{ CaptureMode: "Input" as const }, { CaptureMode: "Output" as const }],
};

export const DESCRIBE_CONFIG = {
  EndpointConfigName: "recsys-ab-test-config",
  EndpointConfigArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/recsys-ab-test-config",
  ProductionVariants: VARIANTS,
  AsyncInferenceConfig: ASYNC_CONFIG,
  DataCaptureConfig: DATA_CAPTURE,
  CreationTime: new Date("2025-01-01T00:00:00Z"),
};

export function describeModel(name: string) {
  return {
    ModelName: name,
    ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${name}`,
    PrimaryContainer: {
      Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310",
      ModelDataUrl: `s3://ml-models-prod/registry/${name}/model.tar.gz`,
      Environment: { SAGEMAKER_PROGRAM: "inference.py" },
    },
    ExecutionRoleArn: "arn:aws:iam::123456789012:role/SageMakerExecutionRole",
    EnableNetworkIsolation: false,
    CreationTime: new Date("2024-12-01T00:00:00Z"),
  };
}

export const TAGS_PAGE_1 = [
  { Key: "owner", Value: "li@example.com" },
  { Key: "team", Value: "personalization" },
];
export const TAGS_PAGE_2 = [
  { Key: "environment", Value: "staging" },
  { Key: "aws:cloudformation:stack-name", Value: "recsys" },
];
