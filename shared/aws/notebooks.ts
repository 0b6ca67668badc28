/**
 * Notebook instances: the `notebooks` inventory (ListNotebookInstances, 100 per page, with the
 * tags of all of them from one Tagging API walk — never one ListTags per notebook), and the
 * lifecycle-configuration calls `janitor notebooks install-heartbeat` makes.
 */
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import {
  CreateNotebookInstanceLifecycleConfigCommand,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceLifecycleConfigCommand,
  paginateListNotebookInstances,
  type SageMakerClient,
  UpdateNotebookInstanceCommand,
  UpdateNotebookInstanceLifecycleConfigCommand,
} from "@aws-sdk/client-sagemaker";
import type { NotebookInfo } from "../detectors/inventory.ts";
import { tagLookup } from "./tag-lookup.ts";
import { tagsByArn } from "./tagging.ts";

export interface NotebookSummary {
  name: string;
  arn: string;
  status: string;
  instanceType: string;
  creationTime: Date;
  lastModifiedTime: Date;
  lifecycleConfigName?: string;
  /** Only DescribeNotebookInstance reports it; the listing does not. */
  volumeSizeInGB?: number;
}

export async function listNotebookInstances(client: SageMakerClient): Promise<NotebookSummary[]> {
  const out: NotebookSummary[] = [];
  for await (const page of paginateListNotebookInstances({ client, pageSize: 100 }, { MaxResults: 100 })) {
    for (const n of page.NotebookInstances ?? []) {
      if (!n.NotebookInstanceName || !n.NotebookInstanceArn) continue;
      out.push({
        name: n.NotebookInstanceName,
        arn: n.NotebookInstanceArn,
        status: n.NotebookInstanceStatus ?? "Unknown",
        instanceType: n.InstanceType ?? "unknown",
        creationTime: n.CreationTime ?? new Date(0),
        lastModifiedTime: n.LastModifiedTime ?? n.CreationTime ?? new Date(0),
        ...(n.NotebookInstanceLifecycleConfigName
          ? { lifecycleConfigName: n.NotebookInstanceLifecycleConfigName }
          : {}),
      });
    }
  }
  return out;
}

/** The `notebooks` inventory: one listing walk and one tagging walk, side by side. */
export async function loadNotebooks(
  sagemaker: SageMakerClient,
  tagging: ResourceGroupsTaggingAPIClient,
  region: string,
): Promise<NotebookInfo[]> {
  const [notebooks, tags] = await Promise.all([
    listNotebookInstances(sagemaker),
    tagsByArn(tagging, ["sagemaker:notebook-instance"]),
  ]);
  const tagsOf = tagLookup(tags);
  return notebooks.map((n) => ({ ...n, region, tags: tagsOf(n.arn) }));
}

export async function describeNotebookInstance(
  client: SageMakerClient,
  name: string,
): Promise<NotebookSummary | undefined> {
  try {
    const n = await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }));
    return {
      name: n.NotebookInstanceName ?? name,
      arn: n.NotebookInstanceArn ?? "",
      status: n.NotebookInstanceStatus ?? "Unknown",
      instanceType: n.InstanceType ?? "unknown",
      creationTime: n.CreationTime ?? new Date(0),
      lastModifiedTime: n.LastModifiedTime ?? n.CreationTime ?? new Date(0),
      ...(n.NotebookInstanceLifecycleConfigName
        ? { lifecycleConfigName: n.NotebookInstanceLifecycleConfigName }
        : {}),
      ...(n.VolumeSizeInGB !== undefined ? { volumeSizeInGB: n.VolumeSizeInGB } : {}),
    };
  } catch (err) {
    // SageMaker answers an unknown notebook instance with a ValidationException ("RecordNotFound").
    if ((err as Error).name === "ValidationException") return undefined;
    throw err;
  }
}

/** The OnStart hook content (base64) of a lifecycle config, or undefined when there is no such config. */
export async function lifecycleConfigOnStart(
  client: SageMakerClient,
  name: string,
): Promise<{ onStart: string | undefined } | undefined> {
  try {
    const out = await client.send(
      new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: name }),
    );
    return { onStart: out.OnStart?.[0]?.Content };
  } catch (err) {
    const e = err as Error;
    if (e.name === "ValidationException" && /does not exist/i.test(e.message)) return undefined;
    throw err;
  }
}

/** Creates the lifecycle config, or replaces its OnStart hook; says which (or that nothing changed). */
export async function putLifecycleConfig(
  client: SageMakerClient,
  name: string,
  onStartBase64: string,
): Promise<"created" | "updated" | "unchanged"> {
  const existing = await lifecycleConfigOnStart(client, name);
  const OnStart = [{ Content: onStartBase64 }];
  if (!existing) {
    await client.send(
      new CreateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: name,
        OnStart,
      }),
    );
    return "created";
  }
  if (existing.onStart === onStartBase64) return "unchanged";
  await client.send(
    new UpdateNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: name, OnStart }),
  );
  return "updated";
}

/** Attaches a lifecycle config; AWS accepts this only while the instance is Stopped. */
export async function attachLifecycleConfig(
  client: SageMakerClient,
  notebook: string,
  configName: string,
): Promise<void> {
  await client.send(
    new UpdateNotebookInstanceCommand({ NotebookInstanceName: notebook, LifecycleConfigName: configName }),
  );
}
