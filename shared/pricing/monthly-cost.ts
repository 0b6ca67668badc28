import { HOURS_PER_MONTH } from "../util/duration.ts";
import {
  EBS_GB_MONTH,
  EBS_GP3_INCLUDED_IOPS,
  EBS_GP3_INCLUDED_THROUGHPUT_MIBPS,
  EBS_GP3_THROUGHPUT_MIBPS_MONTH,
  EBS_IOPS_MONTH,
  EC2_HOURLY,
  REGION_FACTOR,
  S3_GB_MONTH,
  S3_TRANSITION_PER_1000,
  SAGEMAKER_HOURLY,
  SAGEMAKER_SERVERLESS_PROVISIONED_GB_HOUR,
} from "./price-table.ts";

function regionFactor(region: string): number {
  return REGION_FACTOR[region] ?? 1;
}

/** Hourly list price of a SageMaker `ml.*` instance type, or undefined when we don't know it. */
export function sagemakerHourly(instanceType: string, region: string): number | undefined {
  const base = SAGEMAKER_HOURLY[instanceType];
  return base === undefined ? undefined : base * regionFactor(region);
}

export function ec2Hourly(instanceType: string, region: string): number | undefined {
  const base = EC2_HOURLY[instanceType];
  return base === undefined ? undefined : base * regionFactor(region);
}

export function ebsMonthly(volumeType: string, sizeGiB: number, region: string): number | undefined {
  const base = EBS_GB_MONTH[volumeType];
  return base === undefined ? undefined : base * sizeGiB * regionFactor(region);
}

/**
 * Provisioned performance billed on top of the size: io1/io2 IOPS, gp3 IOPS and throughput
 * above what gp3 includes. 0 for types that bill none (gp2, st1, sc1, standard).
 */
export function ebsPerformanceMonthly(
  volumeType: string,
  iops: number | undefined,
  throughputMiBps: number | undefined,
  region: string,
): number {
  const iopsPrice = EBS_IOPS_MONTH[volumeType];
  if (iopsPrice === undefined) return 0;
  const included = volumeType === "gp3" ? EBS_GP3_INCLUDED_IOPS : 0;
  const billedIops = Math.max(0, (iops ?? 0) - included);
  const billedThroughput =
    volumeType === "gp3" ? Math.max(0, (throughputMiBps ?? 0) - EBS_GP3_INCLUDED_THROUGHPUT_MIBPS) : 0;
  return (billedIops * iopsPrice + billedThroughput * EBS_GP3_THROUGHPUT_MIBPS_MONTH) * regionFactor(region);
}

export function s3Monthly(storageClass: string, bytes: number, region: string): number | undefined {
  const base = S3_GB_MONTH[storageClass];
  return base === undefined ? undefined : (base * bytes * regionFactor(region)) / 1024 ** 3;
}

/** One-time cost of lifecycle-transitioning `objects` objects into `storageClass` (0 for classes we do not price). */
export function s3TransitionCost(storageClass: string, objects: number, region: string): number {
  const per1000 = S3_TRANSITION_PER_1000[storageClass] ?? 0;
  return (per1000 * objects * regionFactor(region)) / 1000;
}

export function serverlessProvisionedMonthly(memoryMb: number, provisioned: number, region: string): number {
  return (
    (memoryMb / 1024) *
    provisioned *
    SAGEMAKER_SERVERLESS_PROVISIONED_GB_HOUR *
    HOURS_PER_MONTH *
    regionFactor(region)
  );
}

export function hourlyToMonthly(hourly: number): number {
  return hourly * HOURS_PER_MONTH;
}

/** Money as people read it in a table or a Slack message: $1,234 or $12.50. */
export function formatUsd(amount: number): string {
  const digits = Math.abs(amount) >= 100 ? 0 : 2;
  return amount.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
