/**
 * The heartbeat script itself, run by bash as a lifecycle config would run it, against a stand-in
 * Jupyter server (its /api/kernels and /api/terminals) and a stand-in `aws` command that records
 * what it was asked to publish.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HEARTBEAT_METRIC, HEARTBEAT_NAMESPACE } from "../../../shared/notebooks/heartbeat-metric.ts";
import {
  HEARTBEAT_SCRIPT_PATH,
  heartbeatHookContent,
  heartbeatScript,
  MAX_HOOK_CONTENT,
} from "../../../shared/notebooks/heartbeat-script.ts";

const run = promisify(execFile);
const has = (cmd: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
};
const tools = has("bash") && has("curl") && has("python3");

let server: Server;
let jupyter = { kernels: "[]", terminals: "[]" };
let dir: string;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url?.endsWith("/api/kernels")
      ? jupyter.kernels
      : req.url?.endsWith("/api/terminals")
        ? jupyter.terminals
        : undefined;
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(body ?? "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "janitor-heartbeat-"));
  writeFileSync(join(dir, "aws"), '#!/bin/bash\necho "$@" >> "$AWS_LOG"\n');
  chmodSync(join(dir, "aws"), 0o755);
  metadata({
    ResourceArn: "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/nb-one",
    ResourceName: "nb-one",
  });
  jupyter = { kernels: "[]", terminals: "[]" };
});

function metadata(m: Record<string, string>) {
  writeFileSync(join(dir, "meta.json"), JSON.stringify(m));
}

function env(extra: Record<string, string> = {}) {
  return {
    PATH: `${dir}:${process.env.PATH ?? ""}`,
    HOME: dir,
    AWS_LOG: join(dir, "published"),
    HEARTBEAT_METADATA: join(dir, "meta.json"),
    HEARTBEAT_JUPYTER_URL: url,
    HEARTBEAT_WORKDIR: join(dir, "work"),
    ...extra,
  };
}

async function beatOnce(extra: Record<string, string> = {}): Promise<string[]> {
  await run("bash", [HEARTBEAT_SCRIPT_PATH.pathname, "--once"], { env: env(extra), timeout: 20_000 });
  const log = join(dir, "published");
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
}

/** Stops a worker that may already be gone (a CI sandbox can reap orphaned processes). */
function stopWorker(pid: number): void {
  try {
    process.kill(pid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace("Z", "000Z");

describe("heartbeat.sh", () => {
  it("fits a lifecycle-config hook and names the metric the detectors read", () => {
    expect(heartbeatHookContent().length).toBeLessThanOrEqual(MAX_HOOK_CONTENT);
    expect(heartbeatScript()).toContain(`NAMESPACE="${HEARTBEAT_NAMESPACE}"`);
    expect(heartbeatScript()).toContain(`METRIC="${HEARTBEAT_METRIC}"`);
    expect(() => heartbeatHookContent("x".repeat(13_000))).toThrow(/16384/);
  });

  it.skipIf(!tools)("is valid bash", async () => {
    await run("bash", ["-n", HEARTBEAT_SCRIPT_PATH.pathname]);
  });

  it.skipIf(!tools)(
    "publishes 1 for a busy kernel, in the instance's region, per notebook instance",
    async () => {
      jupyter.kernels = JSON.stringify([{ id: "k", execution_state: "busy", last_activity: iso(3_600_000) }]);
      expect(await beatOnce()).toEqual([
        "cloudwatch put-metric-data --region eu-west-1 --namespace MLJanitor/Notebooks --metric-name JupyterActivity --dimensions NotebookInstanceName=nb-one --value 1 --unit Count",
      ]);
    },
  );

  it.skipIf(!tools)(
    "publishes 1 for a kernel or a terminal used in the last 5 minutes, 0 otherwise",
    async () => {
      jupyter.kernels = JSON.stringify([{ id: "k", execution_state: "idle", last_activity: iso(60_000) }]);
      expect((await beatOnce()).at(-1)).toMatch(/--value 1 /);
      jupyter.kernels = JSON.stringify([{ id: "k", execution_state: "idle", last_activity: iso(3_600_000) }]);
      jupyter.terminals = JSON.stringify([{ name: "1", last_activity: iso(3_600_000) }]);
      expect((await beatOnce()).at(-1)).toMatch(/--value 0 /);
      jupyter.terminals = JSON.stringify([{ name: "1", last_activity: iso(30_000) }]);
      expect((await beatOnce()).at(-1)).toMatch(/--value 1 /);
      // An open terminal that does not say when it was used counts as activity.
      jupyter.terminals = JSON.stringify([{ name: "1" }]);
      expect((await beatOnce()).at(-1)).toMatch(/--value 1 /);
    },
  );

  it.skipIf(!tools)("in a Studio JupyterLab space, publishes per space", async () => {
    metadata({
      ResourceArn:
        "arn:aws:sagemaker:us-west-2:123456789012:app/d-researchteam/ana-gpu-space/jupyterlab/default",
      DomainId: "d-researchteam",
      SpaceName: "ana-gpu-space",
      AppType: "JupyterLab",
      ResourceName: "default",
    });
    expect(await beatOnce()).toEqual([
      "cloudwatch put-metric-data --region us-west-2 --namespace MLJanitor/Notebooks --metric-name JupyterActivity --dimensions DomainId=d-researchteam,SpaceName=ana-gpu-space --value 0 --unit Count",
    ]);
  });

  it.skipIf(!tools)("publishes nothing where it cannot tell: Jupyter down, Studio Classic", async () => {
    expect(await beatOnce({ HEARTBEAT_JUPYTER_URL: "http://127.0.0.1:9/" })).toEqual([]);
    metadata({
      ResourceArn: "arn:aws:sagemaker:us-east-1:1:app/d-x/u/kernelgateway/k",
      DomainId: "d-x",
      UserProfileName: "u",
    });
    expect(await beatOnce()).toEqual([]);
  });

  it.skipIf(!tools)("as a lifecycle config: starts one detached worker and exits 0 at once", async () => {
    const started = Date.now();
    const { stdout } = await run("bash", [HEARTBEAT_SCRIPT_PATH.pathname], {
      env: env({ HEARTBEAT_INTERVAL: "1" }),
      timeout: 10_000,
    });
    expect(stdout).toContain("ml-janitor heartbeat started");
    expect(Date.now() - started).toBeLessThan(5_000);
    const pid = Number(readFileSync(join(dir, "work", "worker.pid"), "utf8"));
    try {
      const again = await run("bash", [HEARTBEAT_SCRIPT_PATH.pathname], {
        env: env({ HEARTBEAT_INTERVAL: "1" }),
      });
      expect(again.stdout).toContain("already running");
      for (let i = 0; i < 50 && !existsSync(join(dir, "published")); i++) await sleep(100);
      expect(readFileSync(join(dir, "published"), "utf8")).toContain("--value 0");
    } finally {
      stopWorker(pid);
    }
  });
});
