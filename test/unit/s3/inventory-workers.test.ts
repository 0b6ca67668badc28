import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedInventory, generateInventory } from "../../../shared/local/inventory-generator.ts";
import { emptyStats, inventoryCandidates } from "../../../shared/s3/inventory-csv.ts";
import { reportReader } from "../../../shared/s3/inventory-workers.ts";

const MIB = 1024 * 1024;
const NOW = new Date("2026-11-23T00:00:00Z");

describe("S3 Inventory read on worker threads and on this thread", () => {
  let dir: string;
  let inv: GeneratedInventory;
  const open = (key: string) => Promise.resolve(createReadStream(join(dir, key)));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "janitor-inv-workers-"));
    inv = await generateInventory({ dir, rows: 20_000, rowsPerFile: 3_000, seed: 11 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("starts the workers it is asked for (from source, through tsx)", async () => {
    const reader = await reportReader(2);
    try {
      expect(reader.threads).toBe(2);
    } finally {
      await reader.close();
    }
  });

  it("gives the same records, in the same order, and the same counts with 1, 2 and 3 threads", async () => {
    const run = async (threads: number) => {
      const stats = emptyStats();
      const records = await inventoryCandidates(
        inv.manifest,
        open,
        { minSize: MIB, region: "us-east-1", now: NOW, keepUnresolved: true, otherSizes: [2 * MIB], threads },
        stats,
      );
      return { records, stats };
    };
    const one = await run(1);
    expect(one.stats.rows).toBe(20_000);
    expect(one.stats.candidates).toBeGreaterThan(1000);
    expect(one.records.length).toBe(one.stats.candidates);
    expect(await run(2)).toEqual(one);
    expect(await run(3)).toEqual(one);
  });

  it("fails the read with the source's error (e.g. an MD5 mismatch), on this thread and on workers", async () => {
    const failing = async (key: string) => {
      if (!key.endsWith("00003.csv.gz")) return open(key);
      const bytes = gzipSync(Buffer.from('"b","k","5","x"\n'));
      return Readable.from(
        (async function* () {
          yield bytes.subarray(0, 5);
          throw new Error("inventory file has MD5 f…f");
        })(),
      );
    };
    for (const threads of [1, 2])
      await expect(
        inventoryCandidates(inv.manifest, failing, { minSize: MIB, region: "us-east-1", now: NOW, threads }),
      ).rejects.toThrow("inventory file has MD5");
  });

  it("fails the read when a file is not gzip", async () => {
    const notGzip = async () => Readable.from([Buffer.from('"b","k","5"\n')]);
    for (const threads of [1, 2])
      await expect(
        inventoryCandidates(inv.manifest, notGzip, { minSize: MIB, region: "us-east-1", now: NOW, threads }),
      ).rejects.toThrow(/header|gzip/i);
  });
});
