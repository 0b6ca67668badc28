/** SageMaker reads: paginated at AWS's maximum page size, tags included where the API allows. */
import {
  DescribeEndpointConfigCommand,
  type ProductionVariantSummary,
  paginateSearch,
  type SageMakerClient,
  type Tag,
} from "@aws-sdk/client-sagemaker";

export interface EndpointSummary {
  name: string;
  arn: string;
  status: string;
  configName: string;
  creationTime: Date;
  lastModifiedTime: Date;
  variants: Array<{
    name: string;
    currentInstanceCount?: number;
    serverless?: { memorySizeInMB: number; maxConcurrency: number; provisionedConcurrency?: number };
  }>;
  tags: Record<string, string>;
}

export interface EndpointConfigSummary {
  name: string;
  isAsync: boolean;
  variants: Array<{
    name: string;
    modelName?: string;
    instanceType?: string;
    initialInstanceCount?: number;
    serverless?: { memorySizeInMB: number; maxConcurrency: number; provisionedConcurrency?: number };
  }>;
}

export function tagsToRecord(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? "";
  return out;
}

function variantOf(v: ProductionVariantSummary): EndpointSummary["variants"][number] {
  const sc = v.CurrentServerlessConfig;
  return {
    name: v.VariantName ?? "AllTraffic",
    ...(v.CurrentInstanceCount !== undefined ? { currentInstanceCount: v.CurrentInstanceCount } : {}),
    ...(sc
      ? {
          serverless: {
            memorySizeInMB: sc.MemorySizeInMB ?? 0,
            maxConcurrency: sc.MaxConcurrency ?? 0,
            ...(sc.ProvisionedConcurrency !== undefined
              ? { provisionedConcurrency: sc.ProvisionedConcurrency }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * Every endpoint with its variants and tags, 100 per call. `Search` returns what
 * ListEndpoints + DescribeEndpoint + ListTags would, in one paginated call (see
 * docs/decisions/003-search-for-endpoint-inventory.md).
 */
export async function searchEndpoints(client: SageMakerClient): Promise<EndpointSummary[]> {
  const out: EndpointSummary[] = [];
  for await (const page of paginateSearch(
    { client, pageSize: 100 },
    { Resource: "Endpoint", MaxResults: 100 },
  )) {
    for (const r of page.Results ?? []) {
      const e = r.Endpoint;
      if (!e?.EndpointName || !e.EndpointArn) continue;
      out.push({
        name: e.EndpointName,
        arn: e.EndpointArn,
        status: e.EndpointStatus ?? "Unknown",
        configName: e.EndpointConfigName ?? "",
        creationTime: e.CreationTime ?? new Date(0),
        lastModifiedTime: e.LastModifiedTime ?? e.CreationTime ?? new Date(0),
        variants: (e.ProductionVariants ?? []).map(variantOf),
        tags: tagsToRecord(e.Tags),
      });
    }
  }
  return out;
}

export async function describeEndpointConfig(
  client: SageMakerClient,
  name: string,
): Promise<EndpointConfigSummary> {
  const out = await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }));
  return {
    name,
    isAsync: out.AsyncInferenceConfig !== undefined,
    variants: (out.ProductionVariants ?? []).map((v) => ({
      name: v.VariantName ?? "AllTraffic",
      ...(v.ModelName ? { modelName: v.ModelName } : {}),
      ...(v.InstanceType ? { instanceType: v.InstanceType } : {}),
      ...(v.InitialInstanceCount !== undefined ? { initialInstanceCount: v.InitialInstanceCount } : {}),
      ...(v.ServerlessConfig
        ? {
            serverless: {
              memorySizeInMB: v.ServerlessConfig.MemorySizeInMB ?? 0,
              maxConcurrency: v.ServerlessConfig.MaxConcurrency ?? 0,
              ...(v.ServerlessConfig.ProvisionedConcurrency !== undefined
                ? { provisionedConcurrency: v.ServerlessConfig.ProvisionedConcurrency }
                : {}),
            },
          }
        : {}),
    })),
  };
}
