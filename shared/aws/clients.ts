/**
 * The one place SDK clients are made. Everything comes from standard AWS configuration: the
 * default credential chain (env, AWS_PROFILE, SSO, instance/Lambda role), AWS_REGION, and the
 * standard endpoint overrides AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which the SDK reads
 * itself — that is how the local sandbox is reached, with no special case in our code.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { BudgetsClient } from "@aws-sdk/client-budgets";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const USER_AGENT: [string, string] = ["ml-janitor", "0.1.0"];

export interface ClientOptions {
  /** Defaults to AWS_REGION / the profile's region. */
  region?: string;
  /** Attempts per call, including the first; adaptive retry backs off on throttling. */
  maxAttempts?: number;
  /** S3 path-style addressing (needed by S3-compatible local servers; env JANITOR_S3_FORCE_PATH_STYLE=true). */
  s3ForcePathStyle?: boolean;
}

function common(options: ClientOptions) {
  return {
    ...(options.region ? { region: options.region } : {}),
    // Our defaults, unless the standard AWS_RETRY_MODE / AWS_MAX_ATTEMPTS say otherwise.
    ...(process.env.AWS_RETRY_MODE ? {} : { retryMode: "adaptive" as const }),
    ...(options.maxAttempts || !process.env.AWS_MAX_ATTEMPTS
      ? { maxAttempts: options.maxAttempts ?? 8 }
      : {}),
    customUserAgent: [USER_AGENT],
  };
}

/** Lazily built clients, one of each per factory (create the factory once per container). */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();

  constructor(readonly options: ClientOptions = {}) {}

  private memo<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }

  get sagemaker(): SageMakerClient {
    return this.memo("sagemaker", () => new SageMakerClient(common(this.options)));
  }
  get cloudwatch(): CloudWatchClient {
    return this.memo("cloudwatch", () => new CloudWatchClient(common(this.options)));
  }
  get tagging(): ResourceGroupsTaggingAPIClient {
    return this.memo("tagging", () => new ResourceGroupsTaggingAPIClient(common(this.options)));
  }
  /** Cost Explorer is served from us-east-1 whatever the account's region. */
  get costExplorer(): CostExplorerClient {
    return this.memo("ce", () => new CostExplorerClient({ ...common(this.options), region: "us-east-1" }));
  }
  /** AWS Budgets is global, served from us-east-1. */
  get budgets(): BudgetsClient {
    return this.memo("budgets", () => new BudgetsClient({ ...common(this.options), region: "us-east-1" }));
  }
  get sts(): STSClient {
    return this.memo("sts", () => new STSClient(common(this.options)));
  }
  get ec2(): EC2Client {
    return this.memo("ec2", () => new EC2Client(common(this.options)));
  }
  get s3(): S3Client {
    return this.memo(
      "s3",
      () =>
        new S3Client({
          ...common(this.options),
          forcePathStyle: this.options.s3ForcePathStyle ?? process.env.JANITOR_S3_FORCE_PATH_STYLE === "true",
        }),
    );
  }
  get athena(): AthenaClient {
    return this.memo("athena", () => new AthenaClient(common(this.options)));
  }
  get sfn(): SFNClient {
    return this.memo("sfn", () => new SFNClient(common(this.options)));
  }
  get ssm(): SSMClient {
    return this.memo("ssm", () => new SSMClient(common(this.options)));
  }
  get dynamodb(): DynamoDBClient {
    return this.memo("dynamodb", () => new DynamoDBClient(common(this.options)));
  }
  get documents(): DynamoDBDocumentClient {
    return this.memo("documents", () =>
      DynamoDBDocumentClient.from(this.dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    );
  }

  /** A factory for another region with the same settings (the scan covers several regions). */
  forRegion(region: string): AwsClients {
    return new AwsClients({ ...this.options, region });
  }

  destroy(): void {
    for (const client of this.cache.values()) {
      (client as { destroy?: () => void }).destroy?.();
    }
    this.cache.clear();
  }
}
