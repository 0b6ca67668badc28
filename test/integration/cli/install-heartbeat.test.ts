/**
 * `janitor notebooks install-heartbeat` against the sandbox: the lifecycle config holds the real
 * script, stopped instances get it, running ones are left alone with what to do, and an
 * instance's own lifecycle config is never replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installHeartbeatCommand } from "../../../shared/cli/commands/notebooks.ts";
import { resolveScenario } from "../../../shared/local/sandbox/scenario.ts";
import { type Sandbox, startSandbox } from "../../../shared/local/sandbox/server.ts";
import { heartbeatScript } from "../../../shared/notebooks/heartbeat-script.ts";
import { janitor, sandboxEnv } from "../../fixtures/local.ts";

let sandbox: Sandbox;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  const scenario = resolveScenario(
    {
      name: "heartbeat",
      accountId: "123456789012",
      region: "us-east-1",
      sagemaker: {
        notebookLifecycleConfigs: [
          { name: "team-setup", onStart: "pip install -r requirements.txt", created: "-9d" },
        ],
        notebookInstances: [
          { name: "stopped-nb", status: "Stopped", instanceType: "ml.t3.medium", created: "-9d" },
          { name: "running-nb", status: "InService", instanceType: "ml.g5.xlarge", created: "-9d" },
          {
            name: "custom-nb",
            status: "Stopped",
            instanceType: "ml.t3.medium",
            created: "-9d",
            lifecycleConfigName: "team-setup",
          },
          { name: "pending-nb", status: "Pending", instanceType: "ml.t3.medium", created: "-1h" },
        ],
      },
    },
    new Date(),
  );
  sandbox = await startSandbox({ scenario });
  for (const [k, v] of Object.entries(sandboxEnv(sandbox.url))) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(async () => {
  await sandbox?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A console that remembers what was printed. */
function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  const out = {
    log: (...a: unknown[]) => lines.push(a.join(" ")),
    error: (...a: unknown[]) => errors.push(a.join(" ")),
  } as unknown as Console;
  return { out, lines, errors, text: () => lines.join("\n") };
}

const notebook = (name: string) => sandbox.scenario.sagemaker.notebookInstances.find((n) => n.name === name)!;

describe("janitor notebooks install-heartbeat", () => {
  it("--dry-run says what it would do and changes nothing", async () => {
    sandbox.resetCounts();
    const c = capture();
    expect(await installHeartbeatCommand({ all: true, dryRun: true }, c.out)).toBe(0);
    expect(c.text()).toContain("lifecycle config ml-janitor-heartbeat: (dry run) would be created");
    expect(c.text()).toContain("stopped-nb: (dry run) would be attached (it is Stopped)");
    expect(sandbox.counts()).toEqual({
      "SageMaker.DescribeNotebookInstanceLifecycleConfig": 1,
      "SageMaker.ListNotebookInstances": 1,
    });
    expect(notebook("stopped-nb").lifecycleConfigName).toBeUndefined();
  });

  it("creates the config with the script and attaches it to the stopped instance only", async () => {
    sandbox.resetCounts();
    const c = capture();
    expect(await installHeartbeatCommand({ all: true }, c.out)).toBe(0);

    const config = sandbox.scenario.sagemaker.notebookLifecycleConfigs.find(
      (l) => l.name === "ml-janitor-heartbeat",
    )!;
    expect(Buffer.from(config.onStart!, "base64").toString("utf8")).toBe(heartbeatScript());
    expect(config.onStart!.length).toBeLessThanOrEqual(16_384);

    expect(notebook("stopped-nb").lifecycleConfigName).toBe("ml-janitor-heartbeat");
    expect(notebook("running-nb")).toMatchObject({ status: "InService" });
    expect(notebook("running-nb").lifecycleConfigName).toBeUndefined();
    expect(notebook("custom-nb").lifecycleConfigName).toBe("team-setup");
    expect(notebook("pending-nb").lifecycleConfigName).toBeUndefined();

    expect(c.text()).toContain("lifecycle config ml-janitor-heartbeat: created");
    expect(c.text()).toContain(
      "stopped-nb: ml-janitor-heartbeat attached; the heartbeat starts at its next start",
    );
    expect(c.text()).toMatch(
      /running-nb: InService, left running\..*aws sagemaker stop-notebook-instance --notebook-instance-name running-nb/,
    );
    expect(c.text()).toContain('custom-nb: has its own lifecycle config "team-setup", left as it is');
    expect(c.text()).toContain("pending-nb: Pending; run this again once it is Stopped");
    expect(c.text()).toContain("1 of 4 notebook instance(s) got the heartbeat");
    expect(c.text()).toContain("cloudwatch:PutMetricData");
    expect(sandbox.counts()).toMatchObject({
      "SageMaker.CreateNotebookInstanceLifecycleConfig": 1,
      "SageMaker.UpdateNotebookInstance": 1,
    });
    expect(sandbox.counts()["SageMaker.StopNotebookInstance"]).toBeUndefined();
  });

  it("is idempotent: a second run changes nothing", async () => {
    sandbox.resetCounts();
    const c = capture();
    expect(await installHeartbeatCommand({ all: true }, c.out)).toBe(0);
    expect(c.text()).toContain("lifecycle config ml-janitor-heartbeat: up to date");
    expect(c.text()).toContain("stopped-nb: already uses ml-janitor-heartbeat");
    expect(sandbox.counts()["SageMaker.UpdateNotebookInstance"]).toBeUndefined();
    expect(sandbox.counts()["SageMaker.CreateNotebookInstanceLifecycleConfig"]).toBeUndefined();
    expect(sandbox.counts()["SageMaker.UpdateNotebookInstanceLifecycleConfig"]).toBeUndefined();
  });

  it("updates a config whose script is out of date", async () => {
    const config = sandbox.scenario.sagemaker.notebookLifecycleConfigs.find(
      (l) => l.name === "ml-janitor-heartbeat",
    )!;
    config.onStart = Buffer.from("old").toString("base64");
    sandbox.resetCounts();
    const c = capture();
    expect(await installHeartbeatCommand({ notebook: "stopped-nb" }, c.out)).toBe(0);
    expect(c.text()).toContain("lifecycle config ml-janitor-heartbeat: updated");
    expect(Buffer.from(config.onStart!, "base64").toString("utf8")).toBe(heartbeatScript());
    expect(sandbox.counts()["SageMaker.UpdateNotebookInstanceLifecycleConfig"]).toBe(1);
  });

  it("exits 2 for a missing or ambiguous target", async () => {
    const none = capture();
    expect(await installHeartbeatCommand({}, none.out)).toBe(2);
    expect(none.errors.join()).toContain("--notebook <name> or --all");
    const both = capture();
    expect(await installHeartbeatCommand({ all: true, notebook: "x" }, both.out)).toBe(2);
    const unknown = capture();
    expect(await installHeartbeatCommand({ notebook: "nope" }, unknown.out)).toBe(2);
    expect(unknown.errors.join()).toContain("no notebook instance named nope");
  });

  it("runs as a command", async () => {
    const { code, stdout, stderr } = await janitor(
      ["notebooks", "install-heartbeat", "--notebook", "running-nb"],
      sandboxEnv(sandbox.url),
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("running-nb: InService, left running.");
    expect(notebook("running-nb").status).toBe("InService");
  });
});
