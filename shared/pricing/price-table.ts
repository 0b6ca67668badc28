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
  "ml.g4dn.16xlarge": 5.44,
  "ml.g5.16xlarge": 5.12,
  "ml.g5.24xlarge": 10.18,
  "ml.m5.8xlarge": 1.843,
  "ml.m5.24xlarge": 5.53,
  "ml.c5.9xlarge": 1.836,
  "ml.r5.2xlarge": 0.605,
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
  "g4dn.8xlarge": 2.176,
  "g4dn.16xlarge": 4.352,
  "g4ad.xlarge": 0.379,
  "g4ad.2xlarge": 0.541,
  "g4ad.4xlarge": 0.867,
  "g5.8xlarge": 2.448,
  "g5.16xlarge": 4.096,
  "g5.24xlarge": 8.144,
  "g6.4xlarge": 1.323,
  "g6.8xlarge": 2.014,
  "g6.12xlarge": 4.602,
  "g6.48xlarge": 13.35,
  "g6e.xlarge": 1.861,
  "g6e.2xlarge": 2.242,
  "g6e.4xlarge": 3.004,
  "g6e.12xlarge": 10.493,
  "g6e.48xlarge": 30.131,
  "gr6.4xlarge": 1.539,
  "gr6.8xlarge": 2.646,
  "p3dn.24xlarge": 31.212,
  "p4de.24xlarge": 40.966,
  "trn1.2xlarge": 1.344,
  "trn1.32xlarge": 21.5,
  "trn1n.32xlarge": 24.78,
  "inf2.xlarge": 0.758,
  "inf2.8xlarge": 1.968,
  "inf2.24xlarge": 6.491,
  "inf2.48xlarge": 12.981,
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

/**
 * EBS provisioned performance, $ per month: IOPS on io1/io2 (io2's cheaper tiers above 32,000
 * IOPS are ignored: an upper bound), gp3 IOPS above the 3,000 included and throughput above the
 * 125 MiB/s included.
 */
export const EBS_IOPS_MONTH: Record<string, number> = { io1: 0.065, io2: 0.065, gp3: 0.005 };
export const EBS_GP3_INCLUDED_IOPS = 3000;
export const EBS_GP3_THROUGHPUT_MIBPS_MONTH = 0.04;
export const EBS_GP3_INCLUDED_THROUGHPUT_MIBPS = 125;

/**
 * vCPUs and GPUs per instance size, shared by EC2 and SageMaker (`ml.` stripped): SageMaker's
 * instance metrics sum over vCPUs and GPUs (CPUUtilization runs to 100% × vCPUs), so they are
 * normalised with this table; it also defines the size ladder of each family (the next smaller
 * size is the member with fewer vCPUs, and not dearer, just below). Sizes missing here are not
 * right-sized.
 */
export const INSTANCE_SHAPE: Record<string, { vcpus: number; gpus: number }> = {
  "t2.medium": { vcpus: 2, gpus: 0 },
  "t3.medium": { vcpus: 2, gpus: 0 },
  "t3.large": { vcpus: 2, gpus: 0 },
  "t3.xlarge": { vcpus: 4, gpus: 0 },
  "m5.large": { vcpus: 2, gpus: 0 },
  "m5.xlarge": { vcpus: 4, gpus: 0 },
  "m5.2xlarge": { vcpus: 8, gpus: 0 },
  "m5.4xlarge": { vcpus: 16, gpus: 0 },
  "m5.8xlarge": { vcpus: 32, gpus: 0 },
  "m5.12xlarge": { vcpus: 48, gpus: 0 },
  "m5.24xlarge": { vcpus: 96, gpus: 0 },
  "c5.large": { vcpus: 2, gpus: 0 },
  "c5.xlarge": { vcpus: 4, gpus: 0 },
  "c5.2xlarge": { vcpus: 8, gpus: 0 },
  "c5.4xlarge": { vcpus: 16, gpus: 0 },
  "c5.9xlarge": { vcpus: 36, gpus: 0 },
  "r5.large": { vcpus: 2, gpus: 0 },
  "r5.xlarge": { vcpus: 4, gpus: 0 },
  "r5.2xlarge": { vcpus: 8, gpus: 0 },
  "g4dn.xlarge": { vcpus: 4, gpus: 1 },
  "g4dn.2xlarge": { vcpus: 8, gpus: 1 },
  "g4dn.4xlarge": { vcpus: 16, gpus: 1 },
  "g4dn.8xlarge": { vcpus: 32, gpus: 1 },
  "g4dn.12xlarge": { vcpus: 48, gpus: 4 },
  "g4dn.16xlarge": { vcpus: 64, gpus: 1 },
  "g5.xlarge": { vcpus: 4, gpus: 1 },
  "g5.2xlarge": { vcpus: 8, gpus: 1 },
  "g5.4xlarge": { vcpus: 16, gpus: 1 },
  "g5.8xlarge": { vcpus: 32, gpus: 1 },
  "g5.12xlarge": { vcpus: 48, gpus: 4 },
  "g5.16xlarge": { vcpus: 64, gpus: 1 },
  "g5.24xlarge": { vcpus: 96, gpus: 4 },
  "g5.48xlarge": { vcpus: 192, gpus: 8 },
  "g6.xlarge": { vcpus: 4, gpus: 1 },
  "g6.2xlarge": { vcpus: 8, gpus: 1 },
  "g6.4xlarge": { vcpus: 16, gpus: 1 },
  "g6.8xlarge": { vcpus: 32, gpus: 1 },
  "g6.12xlarge": { vcpus: 48, gpus: 4 },
  "g6.48xlarge": { vcpus: 192, gpus: 8 },
  "p3.2xlarge": { vcpus: 8, gpus: 1 },
  "p3.8xlarge": { vcpus: 32, gpus: 4 },
  "p3.16xlarge": { vcpus: 64, gpus: 8 },
  "p4d.24xlarge": { vcpus: 96, gpus: 8 },
  "p5.48xlarge": { vcpus: 192, gpus: 8 },
  "inf1.xlarge": { vcpus: 4, gpus: 0 },
  "inf2.xlarge": { vcpus: 4, gpus: 0 },
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

/**
 * S3 lifecycle transition requests into a class, $ per 1,000 objects (one-time, per object moved).
 * Source: https://aws.amazon.com/s3/pricing/ ("Requests & data retrievals", lifecycle transitions).
 */
export const S3_TRANSITION_PER_1000: Record<string, number> = {
  STANDARD_IA: 0.01,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.02,
  GLACIER: 0.03,
  DEEP_ARCHIVE: 0.05,
};

/**
 * Minimum storage duration, days: an object deleted, overwritten or transitioned out earlier is
 * billed for the rest of it. Source: https://aws.amazon.com/s3/storage-classes/ (same date).
 */
export const S3_MIN_STORAGE_DAYS: Record<string, number> = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  GLACIER_IR: 90,
  GLACIER: 90,
  DEEP_ARCHIVE: 180,
};

/** Retrieval, $ per GB read back (Standard and Intelligent-Tiering: none). Source: the S3 pricing page. */
export const S3_RETRIEVAL_GB: Record<string, number> = {
  STANDARD_IA: 0.01,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.03,
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
