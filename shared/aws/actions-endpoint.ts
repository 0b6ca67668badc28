/**
 * Endpoint delete and re-create. Deleting an endpoint keeps its endpoint config and models
 * but loses its tags, so before a delete we save everything a re-create needs: the config's
 * full description (variants, async and data-capture settings), each model's description (in
 * case someone deletes a model later) and the tags. Saved shapes are JSON (dates as ISO
 * strings, no SDK metadata) so the store can keep them as they are.
 */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigCommandOutput,
  DescribeModelCommand,
  type DescribeModelCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { isSageMakerAlreadyExists, isSageMakerNotFound, unlessMissing } from "./not-found.ts";
import { listAllTags, settableTags } from "./sagemaker-tags.ts";

export interface EndpointState {
  name: string;
  arn: string;
  status: string;
  configName: string;
  /** What ran when we looked (autoscaling may have moved counts away from the config's initial ones). */
  variants: Array<{ variantName: string; currentInstanceCount?: number }>;
}

/** DescribeEndpointConfig's answer as JSON. */
export type SavedEndpointConfig = Omit<DescribeEndpointConfigCommandOutput, "$metadata" | "CreationTime"> & {
  CreationTime?: string;
};

/** DescribeModel's answer as JSON. */
export type SavedModel = Omit<DescribeModelCommandOutput, "$metadata" | "CreationTime"> & {
  CreationTime?: string;
};

/** The undo data of a deleted endpoint. */
export interface EndpointSnapshot {
  region: string;
  endpointName: string;
  endpointArn: string;
  endpointConfigName: string;
  endpointConfig: SavedEndpointConfig;
  /** Every model the config's variants (shadow variants included) serve. */
  modelNames: string[];
  /** The description of each model that still existed at delete time. */
  models: SavedModel[];
  tags: Record<string, string>;
  runningVariants: EndpointState["variants"];
}

/** Dates → ISO strings, undefined and SDK metadata dropped. */
function asJson<T>(value: unknown): T {
  const { $metadata: _ignored, ...rest } = value as { $metadata?: unknown };
  return JSON.parse(JSON.stringify(rest)) as T;
}

export async function describeEndpointState(
  client: SageMakerClient,
  name: string,
): Promise<EndpointState | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeEndpointCommand({ EndpointName: name })),
    isSageMakerNotFound,
  );
  if (!out) return undefined;
  return {
    name: out.EndpointName ?? name,
    arn: out.EndpointArn ?? "",
    status: out.EndpointStatus ?? "Unknown",
    configName: out.EndpointConfigName ?? "",
    variants: (out.ProductionVariants ?? []).map((v) => ({
      variantName: v.VariantName ?? "AllTraffic",
      ...(v.CurrentInstanceCount !== undefined ? { currentInstanceCount: v.CurrentInstanceCount } : {}),
    })),
  };
}

/** Reads what a re-create needs. Call it right before the delete, from a fresh describe. */
export async function snapshotEndpoint(
  client: SageMakerClient,
  endpoint: EndpointState,
  region: string,
): Promise<EndpointSnapshot> {
  const config = asJson<SavedEndpointConfig>(
    await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.configName })),
  );
  const modelNames = [
    ...new Set(
      [...(config.ProductionVariants ?? []), ...(config.ShadowProductionVariants ?? [])]
        .map((v) => v.ModelName)
        .filter((n): n is string => typeof n === "string" && n.length > 0),
    ),
  ];
  const models: SavedModel[] = [];
  for (const name of modelNames) {
    const model = await describeModel(client, name);
    if (model) models.push(model);
  }
  return {
    region,
    endpointName: endpoint.name,
    endpointArn: endpoint.arn,
    endpointConfigName: endpoint.configName,
    endpointConfig: config,
    modelNames,
    models,
    tags: await listAllTags(client, endpoint.arn),
    runningVariants: endpoint.variants,
  };
}

/** A create racing another restore: what it wanted exists, which is all we need. */
async function ignoreAlreadyExists(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isSageMakerAlreadyExists(err)) throw err;
  }
}

export async function deleteEndpoint(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new DeleteEndpointCommand({ EndpointName: name }));
}

export async function describeModel(client: SageMakerClient, name: string): Promise<SavedModel | undefined> {
  const out = await unlessMissing(
    () => client.send(new DescribeModelCommand({ ModelName: name })),
    isSageMakerNotFound,
  );
  return out && asJson<SavedModel>(out);
}

export async function endpointConfigExists(client: SageMakerClient, name: string): Promise<boolean> {
  const out = await unlessMissing(
    () => client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
    isSageMakerNotFound,
  );
  return out !== undefined;
}

/** CreateModel from a saved description (its tags were not saved: the model was never ours to delete). */
export async function createModelFrom(client: SageMakerClient, saved: SavedModel): Promise<void> {
  await ignoreAlreadyExists(
    client.send(
      new CreateModelCommand({
        ModelName: saved.ModelName,
        PrimaryContainer: saved.PrimaryContainer,
        Containers: saved.Containers,
        InferenceExecutionConfig: saved.InferenceExecutionConfig,
        ExecutionRoleArn: saved.ExecutionRoleArn,
        VpcConfig: saved.VpcConfig,
        EnableNetworkIsolation: saved.EnableNetworkIsolation,
      }),
    ),
  );
}

export async function createEndpointConfigFrom(
  client: SageMakerClient,
  saved: SavedEndpointConfig,
): Promise<void> {
  await ignoreAlreadyExists(
    client.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: saved.EndpointConfigName,
        ProductionVariants: saved.ProductionVariants,
        DataCaptureConfig: saved.DataCaptureConfig,
        KmsKeyId: saved.KmsKeyId,
        AsyncInferenceConfig: saved.AsyncInferenceConfig,
        ExplainerConfig: saved.ExplainerConfig,
        ShadowProductionVariants: saved.ShadowProductionVariants,
        ExecutionRoleArn: saved.ExecutionRoleArn,
        VpcConfig: saved.VpcConfig,
        EnableNetworkIsolation: saved.EnableNetworkIsolation,
        MetricsConfig: saved.MetricsConfig,
      }),
    ),
  );
}

/**
 * `created: false` when an endpoint of that name appeared meanwhile (a concurrent restore);
 * `skippedTags`: AWS-reserved `aws:` keys, which callers cannot set.
 */
export async function createEndpoint(
  client: SageMakerClient,
  name: string,
  configName: string,
  tags: Record<string, string>,
): Promise<{ created: boolean; skippedTags: string[] }> {
  const settable = settableTags(tags);
  try {
    await client.send(
      new CreateEndpointCommand({
        EndpointName: name,
        EndpointConfigName: configName,
        ...(settable.tags.length > 0 ? { Tags: settable.tags } : {}),
      }),
    );
  } catch (err) {
    if (isSageMakerAlreadyExists(err)) return { created: false, skippedTags: settable.skipped };
    throw err;
  }
  return { created: true, skippedTags: settable.skipped };
}
