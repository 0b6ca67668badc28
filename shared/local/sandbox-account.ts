/**
 * The sandbox AWS account with its object store: s3rver started first, the sandbox in front of
 * it as the one endpoint for every service including S3 (objects proxied, counted and knobbed),
 * and the scenario's buckets and objects seeded through the sandbox, each as old as the scenario
 * says. Shared by the local
 * runtime, `janitor sandbox` and tests that run `janitor scan` against the account.
 */
import pLimit from "p-limit";
import { contentFor } from "./content.ts";
import { type LocalS3, startLocalS3 } from "./s3.ts";
import { type Sandbox, startSandbox } from "./sandbox/server.ts";
import type { ServiceDef } from "./sandbox/service.ts";
import type { SandboxKnobs, Scenario } from "./sandbox/types.ts";

export interface SandboxAccount {
  sandbox: Sandbox;
  /** s3rver, behind the sandbox; clients use the sandbox's URL, not this. */
  objectStore: LocalS3;
  /** Objects seeded (0 when `seedS3` is false: the buckets are made, empty). */
  seeded: number;
  close(): Promise<void>;
}

export interface SandboxAccountOptions {
  scenario: Scenario;
  /** Where s3rver keeps the objects. */
  s3DataDir: string;
  /** Applied once seeding is done, so seeding is never throttled and counts start at zero. */
  knobs?: Partial<SandboxKnobs>;
  port?: number;
  services?: ServiceDef[];
  /** Put the scenario's objects into the store (default true); its buckets are made either way. */
  seedS3?: boolean;
}

export async function startSandboxAccount(options: SandboxAccountOptions): Promise<SandboxAccount> {
  let sandbox: Sandbox | undefined;
  const objectStore = await startLocalS3({
    dataDir: options.s3DataDir,
    // For clients that reach s3rver directly; the sandbox answers ListBuckets itself.
    creationDates: () =>
      new Map((sandbox?.scenario.s3.buckets ?? []).map((b) => [b.name, new Date(b.creationTime)] as const)),
  });
  try {
    sandbox = await startSandbox({
      scenario: options.scenario,
      s3Upstream: objectStore.endpoint,
      ...(options.port !== undefined && { port: options.port }),
      ...(options.services && { services: options.services }),
    });
    const withObjects = options.seedS3 !== false;
    const seeded = await seedObjects(sandbox.url, options.scenario, { withObjects });
    if (withObjects) {
      for (const b of options.scenario.s3.buckets) {
        for (const o of b.objects) {
          if (o.lastModified !== undefined)
            await objectStore.setLastModified(b.name, o.key, new Date(o.lastModified));
        }
      }
    }
    // A fresh seed of the dice, as if the knobs had been there from the start.
    sandbox.setKnobs({ seed: 1, ...options.knobs });
    sandbox.resetCounts();
    const started = sandbox;
    return {
      sandbox: started,
      objectStore,
      seeded,
      close: async () => {
        await Promise.allSettled([started.close(), objectStore.close()]);
      },
    };
  } catch (err) {
    await Promise.allSettled([sandbox?.close(), objectStore.close()]);
    throw err;
  }
}

async function send(url: string, init: RequestInit, ok: (status: number, body: string) => boolean) {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!ok(res.status, body))
    throw new Error(`seeding S3: ${init.method} ${url} answered ${res.status}: ${body}`);
}

/**
 * Creates the scenario's buckets and puts its objects (bodies generated from their seeds, so
 * copies are byte-identical). Plain unsigned S3 REST calls: the sandbox and s3rver take them.
 * Without objects the buckets still exist, as the sandbox's ListBuckets says they do.
 */
export async function seedObjects(
  endpoint: string,
  scenario: Scenario,
  { withObjects = true, concurrency = 4 } = {},
): Promise<number> {
  const limit = pLimit(concurrency);
  let count = 0;
  for (const bucket of scenario.s3.buckets) {
    const base = `${endpoint}/${encodeURIComponent(bucket.name)}`;
    await send(
      base,
      { method: "PUT" },
      (status, body) => status === 200 || body.includes("<Code>BucketAlreadyOwnedByYou</Code>"),
    );
    await Promise.all(
      (withObjects ? bucket.objects : []).map((o) =>
        limit(async () => {
          const key = o.key.split("/").map(encodeURIComponent).join("/");
          await send(
            `${base}/${key}`,
            {
              method: "PUT",
              body: contentFor(o.seed, o.size),
              headers: o.storageClass ? { "x-amz-storage-class": o.storageClass } : {},
            },
            (status) => status === 200,
          );
          count++;
        }),
      ),
    );
  }
  return count;
}
