import { z } from "zod";
import {
  createEndpoint,
  createEndpointConfigFrom,
  createModelFrom,
  describeEndpointState,
  describeModel,
  type EndpointSnapshot,
  endpointConfigExists,
} from "../aws/actions-endpoint.ts";
import { InvalidStateError, InvalidUndoRecordError } from "../errors.ts";
import { clientsFor, undoRegion } from "./common.ts";
import type { RestoreAction } from "./types.ts";

/** The parts of a saved endpoint a restore cannot do without (the rest passes through as saved). */
const snapshotSchema = z.looseObject({
  endpointName: z.string().min(1),
  endpointConfigName: z.string().min(1),
  endpointConfig: z.looseObject({
    EndpointConfigName: z.string().min(1),
    ProductionVariants: z.array(z.looseObject({ VariantName: z.string().min(1) })).min(1),
  }),
  models: z.array(z.looseObject({ ModelName: z.string().min(1) })),
  tags: z.record(z.string(), z.string()),
});

/** An endpoint found under the saved name in one of these is (being) restored already. */
const RESTORED_STATES = ["InService", "Creating"];

function snapshotOf(data: Record<string, unknown>): EndpointSnapshot {
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new InvalidUndoRecordError(`endpoint undo record is incomplete: ${issues}`);
  }
  // Written by delete-endpoint from SageMaker's own answers; the checked fields are what we rely on.
  return data as unknown as EndpointSnapshot;
}

/**
 * Re-creates a deleted endpoint from its undo record: CreateEndpoint with the saved endpoint
 * config name and the saved tags (AWS-reserved `aws:` tags cannot be set and are named in the
 * detail). If the endpoint config was deleted since, it is re-created first under the same
 * name from the saved description; any model that was deleted since is re-created from its
 * saved DescribeModel answer (CreateModel passes its execution role: `iam:PassRole`). An
 * endpoint already under that name and `InService` (or `Creating`) means it is restored
 * already; in any other state it is someone else's business and InvalidStateError is thrown.
 * The endpoint config and models it re-creates carry no tags: they were never saved, since
 * the delete kept them.
 */
export const restoreEndpoint: RestoreAction = {
  resourceType: "sagemaker:endpoint",
  permissions: [
    "sagemaker:DescribeEndpoint",
    "sagemaker:DescribeModel",
    "sagemaker:CreateModel",
    "iam:PassRole",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:CreateEndpoint",
    "sagemaker:AddTags",
  ],
  async run(clients, undo) {
    const saved = snapshotOf(undo.data);
    const { sagemaker } = clientsFor(clients, undoRegion(undo));
    const name = saved.endpointName;
    const existing = await describeEndpointState(sagemaker, name);
    if (existing) {
      if (RESTORED_STATES.includes(existing.status)) {
        return { detail: `endpoint ${name} already exists (${existing.status}): already restored` };
      }
      throw new InvalidStateError(`endpoint ${name}`, existing.status, ["absent", ...RESTORED_STATES]);
    }

    const recreated: string[] = [];
    for (const model of saved.models) {
      if (model.ModelName && !(await describeModel(sagemaker, model.ModelName))) {
        await createModelFrom(sagemaker, model);
        recreated.push(`model ${model.ModelName}`);
      }
    }
    if (!(await endpointConfigExists(sagemaker, saved.endpointConfigName))) {
      await createEndpointConfigFrom(sagemaker, {
        ...saved.endpointConfig,
        EndpointConfigName: saved.endpointConfigName,
      });
      recreated.push(`endpoint config ${saved.endpointConfigName}`);
    }
    const { created, skippedTags } = await createEndpoint(
      sagemaker,
      name,
      saved.endpointConfigName,
      saved.tags,
    );
    if (!created) return { detail: `endpoint ${name} was created meanwhile: already restored` };
    const tagCount = Object.keys(saved.tags).length - skippedTags.length;
    return {
      detail:
        `re-created endpoint ${name} from endpoint config ${saved.endpointConfigName} with ${tagCount} tags` +
        (recreated.length > 0 ? `; re-created ${recreated.join(", ")} first` : "") +
        (skippedTags.length > 0 ? `; AWS-reserved tags not restored: ${skippedTags.join(", ")}` : ""),
    };
  },
};
