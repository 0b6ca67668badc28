/**
 * The S3 Inventory duplicate scan on a generated report (shared/local/inventory-generator.ts;
 * cached under .janitor/bench/), against the textbook approach: a dictionary ETag → every key,
 * built from a full listing (here from the same report, which favours the textbook: a real
 * listing is far slower).
 *
 * Each approach runs in its own child process, so its peak memory is its own: peak RSS and peak
 * heap + external + array buffers, above the child's baseline, sampled every 5 ms. The textbook
 * runs on the first `textbookRows` rows (a dictionary of 10M keys needs gigabytes on a shared
 * 2-core machine); figures are compared per object.
 *
 * Run alone: `npx tsx scripts/bench/s3-inventory.ts [--rows 10000000] [--textbook-rows 2000000]`;
 * `npm run bench -- --only s3` calls it from main.ts. Writes .janitor/bench/s3.json.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { contentOfKey, generateInventory } from "../../shared/local/inventory-generator.ts";
import { duplicateGroups } from "../../shared/s3/duplicates.ts";
import {
  columnsOf,
  emptyStats,
  field,
  forEachLine,
  type InventoryManifest,
  type InventoryScanStats,
  inventoryCandidates,
} from "../../shared/s3/inventory-csv.ts";

const OUT_DIR = ".janitor/bench";
const MIB = 1024 * 1024;

interface Peak {
  rssBytes: number;
  heapBytes: number;
}

function heapNow(): number {
  const m = process.memoryUsage();
  // `external` already includes `arrayBuffers`.
  return m.heapUsed + m.external;
}

/** Samples memory while `fn` runs; returns peaks above the values at the start. */
async function withPeak<T>(fn: () => Promise<T>): Promise<{ value: T; peak: Peak; ms: number }> {
  globalThis.gc?.();
  const base = { rss: process.memoryUsage().rss, heap: heapNow() };
  const peak = { rssBytes: 0, heapBytes: 0 };
  const sample = () => {
    peak.rssBytes = Math.max(peak.rssBytes, process.memoryUsage().rss - base.rss);
    peak.heapBytes = Math.max(peak.heapBytes, heapNow() - base.heap);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const value = await fn();
    sample();
    return { value, peak, ms: performance.now() - start };
  } finally {
    clearInterval(timer);
  }
}

const openIn = (dir: string) => async (key: string) => createReadStream(join(dir, key));

async function streamingChild(dir: string): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as InventoryManifest;
  const stats: InventoryScanStats = emptyStats();
  const run = await withPeak(() =>
    inventoryCandidates(manifest, openIn(dir), { minSize: MIB, region: "us-east-1", now: new Date() }, stats),
  );
  const groups = duplicateGroups(run.value, MIB);
  const proven = groups.filter((g) => g.proven);
  const provenCopies = proven.reduce((n, g) => n + g.members.length - 1, 0);
  const falseProven = proven.filter(
    (g) => new Set(g.members.map((o) => contentOfKey(o.key))).size > 1,
  ).length;
  return {
    rows: stats.rows,
    ms: Math.round(run.ms),
    // Rows per second of wall time: reading, grouping and making the records.
    rowsPerSecond: Math.round(stats.rows / (run.ms / 1000)),
    peakRssBytes: run.peak.rssBytes,
    peakHeapBytes: run.peak.heapBytes,
    candidates: stats.candidates,
    recordsKept: run.value.length,
    provenGroups: proven.length,
    provenCopies,
    falseProvenGroups: falseProven,
    probableGroups: groups.length - proven.length,
    unresolvedCandidates: stats.unresolved,
    unresolvedBytes: stats.unresolvedBytes,
  };
}

async function textbookChild(dir: string, limit: number): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as InventoryManifest;
  const c = columnsOf(manifest.fileSchema);
  let rows = 0;
  const run = await withPeak(async () => {
    const byEtag = new Map<string, Array<{ key: string; size: number }>>();
    for (const file of manifest.files) {
      if (rows >= limit) break;
      await forEachLine(createReadStream(join(dir, file.key)), (line) => {
        if (rows >= limit) return;
        rows++;
        const etag = field(line, c.etag);
        const entry = { key: field(line, c.key), size: Number(field(line, c.size)) };
        const list = byEtag.get(etag);
        if (list) list.push(entry);
        else byEtag.set(etag, [entry]);
      });
    }
    return byEtag;
  });
  // Judged after the measurement: against the truth carried in the keys.
  let claimed = 0;
  let claimedFalse = 0;
  let claimedUnproven = 0;
  let trueFound = 0;
  for (const [etag, list] of run.value) {
    if (list.length < 2) continue;
    claimed += list.length - 1;
    const contents = new Set(list.map((o) => contentOfKey(o.key)));
    trueFound += list.length - contents.size;
    claimedFalse += contents.size - 1;
    // A multipart ETag (`-N`) proves nothing (the generator's KMS ETags never repeat).
    if (etag.includes("-")) claimedUnproven += list.length - 1;
  }
  const seen = new Set<number>();
  let truth = 0;
  for (const list of run.value.values()) {
    for (const o of list) {
      const id = contentOfKey(o.key);
      if (seen.has(id) && o.size >= MIB) truth++;
      seen.add(id);
    }
  }
  return {
    rows,
    ms: Math.round(run.ms),
    rowsPerSecond: Math.round(rows / (run.ms / 1000)),
    peakRssBytes: run.peak.rssBytes,
    peakHeapBytes: run.peak.heapBytes,
    claimedDuplicateCopies: claimed,
    claimedFalse,
    claimedUnprovenMultipartEtags: claimedUnproven,
    trueDuplicateCopies: truth,
    missed: truth - trueFound,
  };
}

function child(mode: string, dir: string, extra: string[] = []): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--max-old-space-size=4096",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--child",
      mode,
      "--dir",
      dir,
      ...extra,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

export async function runS3InventoryBench(options: { rows: number; textbookRows: number }): Promise<void> {
  const dir = join(OUT_DIR, `s3-inventory-${options.rows}`);
  const truthFile = join(dir, "truth.json");
  if (!existsSync(truthFile)) {
    console.log(`generating an S3 Inventory of ${options.rows} rows in ${dir} (cached) …`);
    const t = performance.now();
    const inv = await generateInventory({ dir, rows: options.rows });
    writeFileSync(truthFile, JSON.stringify({ rows: inv.rows, duplicateCopies: inv.duplicateCopies }));
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const truth = JSON.parse(readFileSync(truthFile, "utf8")) as { rows: number; duplicateCopies: number };
  console.log("streaming path (one pass, candidates only) …");
  const streaming = child("streaming", dir);
  const textbookRows = Math.min(options.textbookRows, options.rows);
  console.log(`textbook dictionary ETag → keys, first ${textbookRows} rows …`);
  const textbook = child("textbook", dir, ["--textbook-rows", String(textbookRows)]);
  const perObject = (r: Record<string, unknown>, k: string) => Number(r[k]) / Number(r["rows"]);
  const summary = {
    streaming: {
      ...streaming,
      rssBytesPerObject: perObject(streaming, "peakRssBytes"),
      heapBytesPerObject: perObject(streaming, "peakHeapBytes"),
    },
    textbook: {
      ...textbook,
      rssBytesPerObject: perObject(textbook, "peakRssBytes"),
      heapBytesPerObject: perObject(textbook, "peakHeapBytes"),
    },
  };
  const ratios = {
    timePerRowTextbookOverStreaming:
      Number(textbook["ms"]) /
      Number(textbook["rows"]) /
      (Number(streaming["ms"]) / Number(streaming["rows"])),
    rssPerObjectTextbookOverStreaming:
      summary.textbook.rssBytesPerObject / summary.streaming.rssBytesPerObject,
  };
  console.log(
    `streaming: ${streaming["rows"]} rows in ${streaming["ms"]} ms = ${streaming["rowsPerSecond"]} rows/s; ` +
      `peak RSS ${summary.streaming.rssBytesPerObject.toFixed(1)} B/object (heap ${summary.streaming.heapBytesPerObject.toFixed(1)}); ` +
      `${streaming["candidates"]} candidates, ${streaming["recordsKept"]} kept; ${streaming["provenCopies"]} of ${truth.duplicateCopies} copies proven by ETag ` +
      `(${streaming["falseProvenGroups"]} false groups), ${streaming["unresolvedCandidates"]} candidates need a hash`,
  );
  console.log(
    `textbook: ${textbook["rows"]} rows in ${textbook["ms"]} ms = ${textbook["rowsPerSecond"]} rows/s; ` +
      `peak RSS ${summary.textbook.rssBytesPerObject.toFixed(1)} B/object; claims ${textbook["claimedDuplicateCopies"]} copies ` +
      `(${textbook["claimedFalse"]} false, ${textbook["claimedUnprovenMultipartEtags"]} unproven multipart/KMS ETags), ` +
      `misses ${textbook["missed"]} of ${textbook["trueDuplicateCopies"]}`,
  );
  console.log(
    `ratios textbook/streaming per object: time ${ratios.timePerRowTextbookOverStreaming.toFixed(2)}×, memory ${ratios.rssPerObjectTextbookOverStreaming.toFixed(1)}×`,
  );
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, "s3.json");
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: { cpus: cpus().length }, truth, ...summary, ratios, targets: { rowsPerSecond: 1_000_000, bytesPerObject: 150 } }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { values } = parseArgs({
    options: {
      child: { type: "string" },
      dir: { type: "string" },
      rows: { type: "string", default: "10000000" },
      "textbook-rows": { type: "string", default: "2000000" },
    },
  });
  const go = async () => {
    if (values.child === "streaming") console.log(JSON.stringify(await streamingChild(values.dir ?? "")));
    else if (values.child === "textbook")
      console.log(JSON.stringify(await textbookChild(values.dir ?? "", Number(values["textbook-rows"]))));
    else
      await runS3InventoryBench({ rows: Number(values.rows), textbookRows: Number(values["textbook-rows"]) });
  };
  go().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
