import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdbSource, runDuckdb } from "../../../shared/local/duckdb-inventory.ts";
import {
  contentOfKey,
  type GeneratedInventory,
  generateInventory,
} from "../../../shared/local/inventory-generator.ts";
import { duplicateCandidatesSql, provenDuplicateGroupsSql } from "../../../shared/s3/duplicate-sql.ts";
import { duplicateGroups, type S3ObjectRecord } from "../../../shared/s3/duplicates.ts";
import { inventoryCandidates } from "../../../shared/s3/inventory-csv.ts";

const MIB = 1024 * 1024;

describe("S3 Inventory: the streaming path and the SQL (DuckDB) agree", () => {
  let dir: string;
  let inv: GeneratedInventory;
  let streamed: S3ObjectRecord[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "janitor-inv-"));
    inv = await generateInventory({ dir, rows: 30_000, rowsPerFile: 7_000, seed: 7 });
    streamed = await inventoryCandidates(inv.manifest, async (key) => createReadStream(join(dir, key)), {
      minSize: MIB,
      region: "us-east-1",
      now: new Date("2026-11-23T00:00:00Z"),
      keepUnresolved: true,
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the same candidate rows", async () => {
    const rows = await runDuckdb(
      duplicateCandidatesSql({ source: duckdbSource(inv.manifest, dir), minSize: MIB }),
    );
    const sql = rows.map((r) => `${r["bucket"]}/${r["key"]}`).sort();
    const ours = streamed.map((o) => `${o.bucket}/${o.key}`).sort();
    expect(ours.length).toBeGreaterThan(1000);
    expect(sql).toEqual(ours);
  });

  it("forms the same proven groups, and every proven group holds one content", async () => {
    const rows = await runDuckdb(
      provenDuplicateGroupsSql({ source: duckdbSource(inv.manifest, dir), minSize: MIB }),
    );
    const sql = rows.map((r) => (r["objects"] as string[]).join("|")).sort();
    const proven = duplicateGroups(streamed, MIB).filter((g) => g.proven);
    const ours = proven
      .map((g) =>
        g.members
          .map((o) => `${o.bucket}/${o.key}`)
          .sort()
          .join("|"),
      )
      .sort();
    expect(ours.length).toBeGreaterThan(50);
    expect(sql).toEqual(ours);
    // Without keepUnresolved, only the group members are kept, and the groups are the same.
    const compact = await inventoryCandidates(inv.manifest, async (key) => createReadStream(join(dir, key)), {
      minSize: MIB,
      region: "us-east-1",
      now: new Date("2026-11-23T00:00:00Z"),
    });
    expect(compact.length).toBeLessThan(streamed.length);
    const again = duplicateGroups(compact, MIB).filter((g) => g.proven);
    expect(
      again
        .map((g) =>
          g.members
            .map((o) => o.key)
            .sort()
            .join("|"),
        )
        .sort(),
    ).toEqual(
      proven
        .map((g) =>
          g.members
            .map((o) => o.key)
            .sort()
            .join("|"),
        )
        .sort(),
    );
    for (const g of proven) expect(new Set(g.members.map((o) => contentOfKey(o.key))).size).toBe(1);
  });

  it("finds no proven group among same-size shards of different content, and leaves KMS and multipart copies unproven", () => {
    const groups = duplicateGroups(streamed, MIB);
    for (const g of groups.filter((x) => x.proven)) {
      expect(g.members.every((o) => o.encryption !== "SSE-KMS" && !o.etag.includes("-"))).toBe(true);
    }
    const shards = streamed.filter((o) => o.size >= 256 * MIB && o.size < 256 * MIB + 50 * 4096);
    expect(shards.length).toBeGreaterThan(100);
    expect(groups.filter((g) => g.proven && g.size >= 256 * MIB && g.size < 256 * MIB + 50 * 4096)).toEqual(
      [],
    );
  });
});
