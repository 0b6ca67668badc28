import {
  CreateNotebookInstanceLifecycleConfigCommand,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceLifecycleConfigCommand,
  SageMakerClient,
  UpdateNotebookInstanceCommand,
  UpdateNotebookInstanceLifecycleConfigCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { clientConfig, useSandbox, world } from "./helpers.ts";

const ctx = useSandbox(() =>
  world({
    sagemaker: {
      notebookInstances: [
        { name: "running", status: "InService", instanceType: "ml.t3.medium", created: "-3d" },
        { name: "stopped", status: "Stopped", instanceType: "ml.t3.medium", created: "-3d" },
      ],
    },
  }),
);
const sm = () => new SageMakerClient(clientConfig(ctx.sandbox, { maxAttempts: 1 }));
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("sandbox notebook lifecycle configs", () => {
  it("creates, describes and updates a config; a second create with the name fails", async () => {
    const created = await sm().send(
      new CreateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: "hb",
        OnStart: [{ Content: b64("echo one") }],
      }),
    );
    expect(created.NotebookInstanceLifecycleConfigArn).toBe(
      "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance-lifecycle-config/hb",
    );
    await expect(
      sm().send(
        new CreateNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: "hb" }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/already exists/),
    });

    await sm().send(
      new UpdateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: "hb",
        OnStart: [{ Content: b64("echo two") }],
      }),
    );
    const out = await sm().send(
      new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: "hb" }),
    );
    expect(out.OnStart).toEqual([{ Content: b64("echo two") }]);
    expect(out.OnCreate).toBeUndefined();
  });

  it("answers an unknown config the way AWS does: ValidationException, 'does not exist'", async () => {
    await expect(
      sm().send(
        new DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: "nope" }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/does not exist/),
    });
  });

  it("enforces AWS's limits: one hook, base64, at most 16,384 characters", async () => {
    const create = (OnStart: Array<{ Content: string }>) =>
      sm().send(
        new CreateNotebookInstanceLifecycleConfigCommand({
          NotebookInstanceLifecycleConfigName: "lim",
          OnStart,
        }),
      );
    await expect(create([{ Content: b64("a") }, { Content: b64("b") }])).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(create([{ Content: "not base64!" }])).rejects.toMatchObject({ name: "ValidationException" });
    await expect(create([{ Content: "A".repeat(16_388) }])).rejects.toMatchObject({
      message: expect.stringMatching(/16384/),
    });
    await expect(
      sm().send(
        new CreateNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: "bad_name" }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("attaches a config only to a stopped instance", async () => {
    await expect(
      sm().send(
        new UpdateNotebookInstanceCommand({ NotebookInstanceName: "running", LifecycleConfigName: "hb" }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/^Status \(InService\) not in \(\[Stopped, Failed\]\)/),
    });
    await expect(
      sm().send(
        new UpdateNotebookInstanceCommand({ NotebookInstanceName: "stopped", LifecycleConfigName: "nope" }),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/does not exist/) });
    await sm().send(
      new UpdateNotebookInstanceCommand({ NotebookInstanceName: "stopped", LifecycleConfigName: "hb" }),
    );
    const n = await sm().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: "stopped" }));
    expect(n).toMatchObject({ NotebookInstanceStatus: "Stopped", NotebookInstanceLifecycleConfigName: "hb" });
  });
});
