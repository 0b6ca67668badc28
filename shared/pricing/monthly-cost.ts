import { HOURS_PER_MONTH } from "../util/duration.ts";
import {
  EBS_GB_MONTH,
  EC2_HOURLY,
  REGION_FACTOR,
  S3_GB_MONTH,
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

export function s3Monthly(storageClass: string, bytes: number, region: string): number | undefined {
  const base = S3_GB_MONTH[storageClass];
  return base === undefined ? undefined : (base * bytes * regionFactor(region)) / 1024 ** 3;
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
