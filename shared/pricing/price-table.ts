/**
 * On-demand list prices, USD, us-east-1, Linux. Read from the AWS pricing pages on the date
 * below; prices change, so every cost we print says "list price as of" this date.
 * Other regions apply REGION_FACTOR (an approximation: most regions are within a few percent
 * of the factor; exact regional tables can replace it without changing callers).
 */
export const PRICES_AS_OF = "2026-11-01";

/** SageMaker ML instances (hosting, notebooks, Studio, training share these closely). $/hour. */
export const SAGEMAKER_HOURLY: Record<string, number> = {
  "ml.t2.medium": 0.056,
  "ml.t3.medium": 0.05,
  "ml.t3.large": 0.1,
  "ml.t3.xlarge": 0.2,
  "ml.m5.large": 0.115,
  "ml.m5.xlarge": 0.23,
  "ml.m5.2xlarge": 0.461,
  "ml.m5.4xlarge": 0.922,
  "ml.m5.12xlarge": 2.765,
  "ml.c5.large": 0.102,
  "ml.c5.xlarge": 0.204,
  "ml.c5.2xlarge": 0.408,
  "ml.c5.4xlarge": 0.816,
  "ml.r5.large": 0.151,
  "ml.r5.xlarge": 0.302,
  "ml.g4dn.xlarge": 0.736,
  "ml.g4dn.2xlarge": 0.94,
  "ml.g4dn.4xlarge": 1.505,
  "ml.g4dn.8xlarge": 2.72,
  "ml.g4dn.12xlarge": 4.89,
  "ml.g5.xlarge": 1.408,
  "ml.g5.2xlarge": 1.515,
  "ml.g5.4xlarge": 2.03,
  "ml.g5.8xlarge": 3.06,
  "ml.g5.12xlarge": 7.09,
  "ml.g5.48xlarge": 20.36,
  "ml.g6.xlarge": 1.0064,
  "ml.g6.2xlarge": 1.2226,
  "ml.p3.2xlarge": 3.825,
  "ml.p3.8xlarge": 14.688,
  "ml.p3.16xlarge": 28.152,
  "ml.p4d.24xlarge": 37.688,
  "ml.p5.48xlarge": 113.07,
  "ml.inf1.xlarge": 0.297,
  "ml.inf2.xlarge": 0.99,
};

/** EC2 instances (GPU families first). $/hour. */
export const EC2_HOURLY: Record<string, number> = {
  "g4dn.xlarge": 0.526,
  "g4dn.2xlarge": 0.752,
  "g4dn.4xlarge": 1.204,
  "g4dn.12xlarge": 3.912,
  "g5.xlarge": 1.006,
  "g5.2xlarge": 1.212,
  "g5.4xlarge": 1.624,
  "g5.12xlarge": 5.672,
  "g5.48xlarge": 16.288,
  "g6.xlarge": 0.805,
  "g6.2xlarge": 0.978,
  "p3.2xlarge": 3.06,
  "p3.8xlarge": 12.24,
  "p3.16xlarge": 24.48,
  "p4d.24xlarge": 32.773,
  "p5.48xlarge": 98.32,
  "m5.large": 0.096,
  "m5.xlarge": 0.192,
  "c5.xlarge": 0.17,
  "t3.medium": 0.0416,
};

/** EBS volumes, $ per GiB-month. */
export const EBS_GB_MONTH: Record<string, number> = {
  gp2: 0.1,
  gp3: 0.08,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};

/** S3 storage, $ per GB-month (first 50 TB tier). */
export const S3_GB_MONTH: Record<string, number> = {
  STANDARD: 0.023,
  INTELLIGENT_TIERING: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099,
};

/** SageMaker Serverless Inference provisioned concurrency, $ per GB-hour of memory. */
export const SAGEMAKER_SERVERLESS_PROVISIONED_GB_HOUR = 0.0167;

export const REGION_FACTOR: Record<string, number> = {
  "us-east-1": 1,
  "us-east-2": 1,
  "us-west-2": 1,
  "us-west-1": 1.17,
  "eu-west-1": 1.11,
  "eu-west-2": 1.16,
  "eu-central-1": 1.2,
  "ap-northeast-1": 1.29,
  "ap-southeast-1": 1.24,
  "ap-southeast-2": 1.25,
  "ca-central-1": 1.1,
};
