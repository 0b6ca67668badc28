/**
 * Reads the files of an S3 Inventory report (shared/s3/inventory-rows.ts) on worker threads when
 * there is more than one core, else on this thread, in two steps:
 *   1. `readFiles`: each file is gunzipped and scanned once; the thread that read it keeps its
 *      candidate-able rows (as bytes) and returns the sizes;
 *   2. `candidates`: given the repeated sizes, each thread returns the kept rows of those sizes
 *      and lets its kept rows go.
 *
 * Why workers: gunzip plus the byte scan is ~0.6 µs a row of CPU, so one thread tops out near
 * 0.5M rows/s on this machine; a 10 GB Lambda has 6 cores. Each worker reads one file at a time
 * (never more files open than workers). This thread opens the files (the `OpenFile` may be an S3
 * GetObject with its MD5 check, which cannot cross threads) and posts the gzipped bytes in 1 MiB
 * batches, at most `IN_FLIGHT` ahead of the worker; results come back transferred, not copied.
 *
 * The worker is this same module file (`import.meta.url`): in the esbuild bundle that is the
 * function's bundle, which runs this module's top-level check below; from source (tsx, vitest)
 * the worker registers tsx first. If the workers cannot start, everything runs on this thread.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pipeline, Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createGunzip, type Gunzip } from "node:zlib";
import {
  type CandidatesOfFile,
  candidatesOf,
  type KeptRows,
  type PassPlan,
  type ProofColumns,
  RowsReader,
  type SizesOfFile,
} from "./inventory-rows.ts";
import { SizeSet } from "./size-set.ts";

const ROLE = "ml-janitor/s3-inventory-reader";
/** gunzip output chunk: 1 MiB measured faster than 256 KiB (fewer callbacks). */
const GUNZIP_CHUNK = 1024 * 1024;
/** Gzipped bytes per gunzip write (see `batched`). */
const GZIP_BATCH = 1024 * 1024;
/** Gzipped batches posted to a worker and not yet consumed by its gunzip. */
const IN_FLIGHT = 4;

/** Threads to use by default: one per core, never more than files. */
export function defaultThreads(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), files));
}

/** Reads a report's files, then hands over their candidates; `close()` when done (or failed). */
export interface ReportReader {
  /** Calls `onFile(index, sizes)` as each file is read (in completion order). */
  readFiles(
    files: readonly string[],
    open: (key: string) => Promise<Readable>,
    plan: PassPlan,
    onFile: (index: number, read: SizesOfFile) => void,
  ): Promise<void>;
  /** Calls `onFile(index, candidates)` for every file read (in completion order). */
  candidates(
    repeated: SizeSet,
    proof: ProofColumns,
    onFile: (index: number, candidates: CandidatesOfFile) => void,
  ): Promise<void>;
  /** The number of worker threads (0: this thread). */
  threads: number;
  close(): Promise<void>;
}

/** `threads` workers, or this thread when `threads` ≤ 1 or workers cannot start. */
export async function reportReader(threads: number): Promise<ReportReader> {
  if (threads > 1) {
    const pool = await startWorkers(threads);
    if (pool) return pooledReader(pool);
  }
  return localReader();
}

/** Everything on this thread. */
function localReader(): ReportReader {
  const kept = new Map<number, KeptRows>();
  return {
    threads: 0,
    async readFiles(files, open, plan, onFile) {
      for (let i = 0; i < files.length; i++) {
        const reader = new RowsReader(plan);
        // `pipeline`: an error of the source (a failed GET, an MD5 that does not match) reaches us.
        const gunzip = pipeline(
          Readable.from(batched(await open(files[i] as string))),
          createGunzip({ chunkSize: GUNZIP_CHUNK }),
          () => {},
        );
        for await (const chunk of gunzip) reader.push(chunk as Buffer);
        const { read, kept: rows } = reader.end();
        kept.set(i, rows);
        onFile(i, read);
      }
    },
    async candidates(repeated, proof, onFile) {
      for (const [i, rows] of kept) {
        kept.delete(i);
        onFile(i, candidatesOf(rows, repeated, proof));
      }
    },
    async close() {
      kept.clear();
    },
  };
}

function pooledReader(workers: PassWorker[]): ReportReader {
  /** The files each worker read (it holds their rows). */
  const owned = new Map<PassWorker, number[]>(workers.map((w) => [w, []]));
  /** Set by `close()` (also after a failure): lanes still running open no further file. */
  let closed = false;
  return {
    threads: workers.length,
    async readFiles(files, open, plan, onFile) {
      let next = 0;
      const lane = async (worker: PassWorker) => {
        while (next < files.length && !closed) {
          const i = next++;
          onFile(i, await worker.read(i, await open(files[i] as string), plan));
          owned.get(worker)?.push(i);
        }
      };
      await Promise.all(workers.map(lane));
    },
    async candidates(repeated, proof, onFile) {
      const lane = async (worker: PassWorker) => {
        for (const i of owned.get(worker) ?? []) onFile(i, await worker.candidates(i, repeated, proof));
        owned.set(worker, []);
      };
      await Promise.all(workers.map(lane));
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/**
 * The gzipped bytes of `source` in pieces of about `GZIP_BATCH`, each in an ArrayBuffer of its
 * own (a worker can take it without a copy; a source chunk may be a view of a larger shared
 * buffer). File streams give 64 KiB chunks, HTTP bodies 16 KiB: gunzip fed that small cost ~40%
 * more per file here (each write is a round trip to libuv's thread pool).
 */
async function* batched(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Uint8Array> {
  let batch = new Uint8Array(GZIP_BATCH);
  let used = 0;
  for await (const chunk of source) {
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, batch.length - used);
      batch.set(chunk.subarray(from, from + n), used);
      used += n;
      from += n;
      if (used === batch.length) {
        yield batch;
        batch = new Uint8Array(GZIP_BATCH);
        used = 0;
      }
    }
  }
  if (used > 0) yield batch.subarray(0, used);
}

type ToWorker =
  | { type: "start"; file: number; plan: PassPlan }
  | { type: "chunk"; data: Uint8Array }
  | { type: "end" }
  | { type: "candidates"; file: number; repeated: Float64Array; proof: ProofColumns };

type FromWorker =
  | { type: "ready" }
  | { type: "ack" }
  | { type: "read"; read: SizesOfFile }
  | { type: "candidates"; candidates: CandidatesOfFile }
  | { type: "error"; message: string };

/** A worker thread: reads one file at a time, keeps the rows of the files it read. */
class PassWorker {
  private onMessage: (m: FromWorker) => void = () => {};
  private onFailure: (err: Error) => void = () => {};

  constructor(readonly thread: Worker) {
    thread.on("message", (m: FromWorker) => this.onMessage(m));
    thread.on("error", (err) => this.onFailure(err));
    thread.on("exit", (code) => this.onFailure(new Error(`inventory worker exited (code ${code})`)));
  }

  /** Resolves once the worker has loaded (rejects if it cannot start). */
  ready(): Promise<void> {
    return this.next((m, resolve) => {
      if (m.type === "ready") resolve(undefined);
    });
  }

  /** Posts `source`'s bytes to the worker, `IN_FLIGHT` batches at most ahead of it. */
  async read(file: number, source: Readable, plan: PassPlan): Promise<SizesOfFile> {
    let inFlight = 0;
    let wake: (() => void) | undefined;
    let failed = false;
    const done = this.next<SizesOfFile>((m, resolve) => {
      if (m.type === "ack") {
        inFlight--;
        wake?.();
      } else if (m.type === "read") resolve(m.read);
    });
    done.catch(() => {
      failed = true;
      wake?.();
    });
    this.thread.postMessage({ type: "start", file, plan } satisfies ToWorker);
    for await (const data of batched(source)) {
      if (failed) break;
      this.thread.postMessage({ type: "chunk", data } satisfies ToWorker, [data.buffer as ArrayBuffer]);
      inFlight++;
      while (inFlight >= IN_FLIGHT && !failed) await new Promise<void>((r) => (wake = r));
    }
    if (!failed) this.thread.postMessage({ type: "end" } satisfies ToWorker);
    return done;
  }

  candidates(file: number, repeated: SizeSet, proof: ProofColumns): Promise<CandidatesOfFile> {
    const done = this.next<CandidatesOfFile>((m, resolve) => {
      if (m.type !== "candidates") return;
      // Typed arrays arrive as plain Uint8Array: give the lines back their Buffer methods.
      const u = m.candidates.lines as Uint8Array;
      resolve({ ...m.candidates, lines: Buffer.from(u.buffer, u.byteOffset, u.byteLength) });
    });
    this.thread.postMessage({ type: "candidates", file, repeated: repeated.slots, proof } satisfies ToWorker);
    return done;
  }

  /** Stops the worker; a read or hand-over still waiting on it fails (so its lane stops). */
  close(): Promise<number> {
    this.onFailure(new Error("inventory reader closed"));
    this.thread.removeAllListeners("exit");
    return this.thread.terminate();
  }

  /** A promise settled by the worker's messages (`handle`), or rejected by its failure or error. */
  private next<T>(handle: (m: FromWorker, resolve: (v: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.onFailure = reject;
      this.onMessage = (m) => {
        if (m.type === "error") reject(new Error(m.message));
        else handle(m, resolve);
      };
    });
  }
}

/** `threads` workers, started and loaded; undefined when one cannot start. */
async function startWorkers(threads: number): Promise<PassWorker[] | undefined> {
  const workers: PassWorker[] = [];
  try {
    for (let i = 0; i < threads; i++) workers.push(new PassWorker(newWorker()));
    await Promise.all(workers.map((w) => w.ready()));
    return workers;
  } catch {
    await Promise.all(workers.map((w) => w.thread.terminate()));
    return undefined;
  }
}

/**
 * A worker running this module. From source (a `.ts` file: tsx, vitest) the worker first
 * registers tsx's loader: Node 20 workers do not apply the parent's `--import tsx` hooks to
 * their entry file.
 */
function newWorker(): Worker {
  const self = import.meta.url;
  const workerData = { role: ROLE };
  if (!self.endsWith(".ts")) return new Worker(new URL(self), { workerData });
  const tsx = new URL(
    "dist/esm/api/index.mjs",
    pathToFileURL(createRequire(self).resolve("tsx/package.json")),
  );
  const boot = `import(${JSON.stringify(tsx.href)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** The worker side: one file read at a time; its kept rows stay here until their candidates are asked. */
function serve(port: NonNullable<typeof parentPort>): void {
  const kept = new Map<number, KeptRows>();
  let gunzip: Gunzip | undefined;
  const post = (m: FromWorker, transfer: ArrayBufferLike[] = []) =>
    port.postMessage(m, transfer as ArrayBuffer[]);
  port.on("message", (m: ToWorker) => {
    try {
      if (m.type === "start") {
        const reader = new RowsReader(m.plan);
        const z = createGunzip({ chunkSize: GUNZIP_CHUNK });
        z.on("data", (chunk: Buffer) => reader.push(chunk));
        z.on("end", () => {
          const { read, kept: rows } = reader.end();
          kept.set(m.file, rows);
          post({ type: "read", read }, [read.sizes.buffer]);
        });
        z.on("error", (err) => post({ type: "error", message: err.message }));
        gunzip = z;
      } else if (m.type === "chunk") {
        gunzip?.write(m.data, () => post({ type: "ack" }));
      } else if (m.type === "end") {
        gunzip?.end();
        gunzip = undefined;
      } else {
        const rows = kept.get(m.file);
        if (!rows) throw new Error(`inventory worker holds no rows of file ${m.file}`);
        kept.delete(m.file);
        const c = candidatesOf(rows, new SizeSet(m.repeated), m.proof);
        const arrays = [c.lines, c.starts, c.sizes, c.keys, c.etags, c.md5];
        post(
          { type: "candidates", candidates: c },
          arrays.map((a) => a.buffer),
        );
      }
    } catch (err) {
      post({ type: "error", message: err instanceof Error ? err.message : String(err) });
    }
  });
  post({ type: "ready" });
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ROLE) serve(parentPort);
