import { describe, expect, it } from "vitest";
import { CandidateGroups } from "../../../shared/s3/candidate-groups.ts";
import { etagIsMd5 } from "../../../shared/s3/duplicates.ts";
import { columnsOf, recordOf } from "../../../shared/s3/inventory-csv.ts";
import {
  type CandidatesOfFile,
  candidatesOf,
  etagProvesContent,
  LineSplitter,
  LineValues,
  type RowColumns,
  RowsReader,
  rowSize,
  valueStart,
} from "../../../shared/s3/inventory-rows.ts";
import { mergeSorted, repeatedSizes, SizeSet } from "../../../shared/s3/size-set.ts";

const SCHEMA =
  "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, IsMultipartUploaded, EncryptionStatus";
const COLUMNS: RowColumns = { size: 5, isLatest: 3, isDeleteMarker: 4 };

const row = (
  key: string,
  size: string,
  etag: string,
  o: { latest?: string; marker?: string; mp?: string; enc?: string } = {},
) =>
  `"b","${key}","v1","${o.latest ?? "true"}","${o.marker ?? "false"}","${size}","2026-03-01T00:00:00.000Z","${etag}","${o.mp ?? "false"}","${o.enc ?? "NOT-SSE"}"`;

/** The lines of each group, in the order `drain` visits them (read during the visit). */
function groupLines(groups: CandidateGroups): Array<{ size: number; lines: string[]; md5: boolean }> {
  const out: Array<{ size: number; lines: string[]; md5: boolean }> = [];
  for (const g of groups.drain()) {
    const lines: string[] = [];
    groups.forEachRow(g, (buf, start, end) => lines.push(buf.toString("latin1", start, end)));
    expect(groups.rowsOf(g)).toBe(lines.length);
    out.push({ size: groups.sizeOf(g), lines, md5: groups.etagIsMd5Of(g) });
  }
  return out;
}

/** Feeds `text` to `push` in pieces of `step` bytes (lines cut anywhere). */
function feed(text: string, step: number, push: (b: Buffer) => void): void {
  const all = Buffer.from(text, "latin1");
  for (let i = 0; i < all.length; i += step) push(all.subarray(i, i + step));
}

describe("LineSplitter", () => {
  it("gives the same lines whatever the chunk boundaries, without a final newline or with CRLF", () => {
    const text = "a1\nbb22\r\n\nccc333\nlast";
    for (const step of [1, 2, 3, 5, 100]) {
      const lines: string[] = [];
      const s = new LineSplitter((buf, start, end) => lines.push(buf.toString("latin1", start, end)));
      feed(text, step, (b) => s.push(b));
      s.end();
      expect(lines).toEqual(["a1", "bb22", "ccc333", "last"]);
    }
  });

  it("carries a line longer than its buffer", () => {
    const long = "x".repeat(10_000);
    const lines: string[] = [];
    const s = new LineSplitter((buf, start, end) => lines.push(buf.toString("latin1", start, end)));
    feed(`${long}\nshort\n`, 333, (b) => s.push(b));
    s.end();
    expect(lines).toEqual([long, "short"]);
  });
});

describe("rowSize and LineValues", () => {
  const sizeOf = (line: string, minSize = 0) => {
    const b = Buffer.from(line, "latin1");
    return rowSize(b, 0, b.length, COLUMNS, minSize);
  };

  it("reads the size of a current row at or above the floor, -1 otherwise", () => {
    expect(sizeOf(row("k", "2097152", "e"))).toBe(2097152);
    expect(sizeOf(row("k", "2097152", "e"), 2097153)).toBe(-1);
    expect(sizeOf(row("k", "2097152", "e", { latest: "false" }))).toBe(-1);
    expect(sizeOf(row("k", "", "e", { marker: "true" }))).toBe(-1);
    expect(sizeOf(row("k", "5497558138880", "e"))).toBe(5497558138880);
    expect(sizeOf('"b","k"')).toBe(-1);
  });

  it("finds every value without its quotes (the last one and empty ones included), or only the first ones", () => {
    const line = row("a%2Fb", "7", "abc-2", { enc: "" });
    const b = Buffer.from(line, "latin1");
    const values = new LineValues();
    const text = (col: number) =>
      values.from(col) === -1 ? undefined : b.toString("latin1", values.from(col), values.to(col));
    values.read(b, 0, b.length);
    expect(values.count).toBe(10);
    expect([0, 1, 2, 5, 7, 8, 9, 10].map(text)).toEqual([
      "b",
      "a%2Fb",
      "v1",
      "7",
      "abc-2",
      "false",
      "",
      undefined,
    ]);
    expect(b.toString("latin1", valueStart(b, 0, b.length, 5), valueStart(b, 0, b.length, 5) + 1)).toBe("7");
    values.read(b, 0, b.length, 4);
    expect(values.count).toBe(5);
    expect([1, 4, 5].map(text)).toEqual(["a%2Fb", "false", undefined]);
  });
});

describe("SizeSet and repeatedSizes", () => {
  it("holds exactly the sizes added, large ones included", () => {
    const set = new SizeSet(1000);
    const sizes = Array.from({ length: 1000 }, (_, i) => i * 4_294_967_311 + 7);
    for (const s of sizes) set.add(s);
    for (const s of sizes) expect(set.has(s)).toBe(true);
    expect(set.has(8)).toBe(false);
    expect(set.has(0)).toBe(false);
  });

  it("finds the sizes seen twice across sorted parts, others counting as one sighting, and counts their rows", () => {
    const parts = [new Float64Array([1, 5, 9, 9]), new Float64Array([2, 5, 7]), new Float64Array([3, 5, 11])];
    expect([...mergeSorted(parts)]).toEqual([1, 2, 3, 5, 5, 5, 7, 9, 9, 11]);
    const { set, rows } = repeatedSizes(parts, [7, 100, 7]);
    for (const s of [5, 9, 7]) expect(set.has(s)).toBe(true);
    for (const s of [1, 2, 3, 11, 100]) expect(set.has(s)).toBe(false);
    expect(rows).toBe(3 + 2 + 1);
  });
});

describe("RowsReader, candidatesOf and CandidateGroups", () => {
  const lines = [
    row("a", "3000000", "e1"),
    row("small", "10", "e1"),
    row("b", "3000000", "e1"),
    row("c", "3000000", "e2", { enc: "SSE-KMS" }),
    row("old", "3000000", "e1", { latest: "false" }),
    row("d", "4000000", "e3-2", { mp: "true" }),
    row("e", "5000000", "e4"),
    row("f", "4000000", "e3-2", { mp: "true" }),
  ];

  it("keeps current rows above the floor, hands over the repeated ones, grouped by size and ETag", () => {
    const reader = new RowsReader({ columns: COLUMNS, minSize: 1000 });
    feed(`${lines.join("\n")}\n`, 37, (b) => reader.push(b));
    const { read, kept } = reader.end();
    expect(read.rows).toBe(8);
    expect([...read.sizes]).toEqual([3000000, 3000000, 3000000, 4000000, 4000000, 5000000]);
    const { set, rows } = repeatedSizes([read.sizes]);
    expect(rows).toBe(5);
    const c = columnsOf(SCHEMA);
    const candidates = candidatesOf(kept, set, c);
    expect([...candidates.sizes]).toEqual([3000000, 3000000, 3000000, 4000000, 4000000]);
    expect([...candidates.md5]).toEqual([1, 1, 0, 0, 0]);
    const groups = new CandidateGroups();
    groups.expect(rows);
    groups.add(candidates);
    expect(groups.count).toBe(5);
    const out = groupLines(groups).map(({ size, lines, md5 }) => ({
      size,
      keys: lines.map((l) => recordOf(l, c, "r", new Date()).key),
      md5,
    }));
    expect(out).toEqual([
      { size: 3000000, keys: ["a", "b"], md5: true },
      { size: 3000000, keys: ["c"], md5: false },
      { size: 4000000, keys: ["d", "f"], md5: false },
    ]);
  });

  it("never joins rows whose hashes collide but whose ETags differ", () => {
    const c = columnsOf(SCHEMA);
    /** One candidate row with forced hashes (a collision), its ETag located as the pass would. */
    const file = (line: string): CandidatesOfFile => {
      const lines = Buffer.from(`${line}\n`, "latin1");
      const values = new LineValues();
      values.read(lines, 0, line.length);
      const [from, to] = [values.from(c.etag), values.to(c.etag)];
      return {
        lines,
        starts: new Uint32Array([0]),
        sizes: new Float64Array([7]),
        keys: new Uint32Array([1, 2]),
        etags: new Uint32Array([from, to]),
        md5: new Uint8Array([1]),
      };
    };
    const groups = new CandidateGroups();
    groups.add(file(row("x", "7", "aaaa")));
    groups.add(file(row("y", "7", "bbbb")));
    groups.add(file(row("z", "7", "aaaa")));
    expect(groupLines(groups).map((g) => g.lines.length)).toEqual([2, 1]);
  });

  const proves = (line: string, c: ReturnType<typeof columnsOf>) => {
    const b = Buffer.from(line, "latin1");
    const values = new LineValues();
    values.read(b, 0, b.length);
    return etagProvesContent(b, values, c);
  };

  it("etagProvesContent agrees with etagIsMd5(recordOf(line)) for every ETag, upload and encryption", () => {
    const c = columnsOf(SCHEMA);
    for (const etag of ["abc", "abc-3", ""])
      for (const mp of ["true", "false", ""])
        for (const enc of ["NOT-SSE", "SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C", "NONE", "", "constructor"]) {
          const line = row("k", "9", etag, { mp, enc });
          expect(proves(line, c), line).toBe(etagIsMd5(recordOf(line, c, "r", new Date())));
        }
    const noEncryption = columnsOf("Bucket, Key, Size, ETag");
    const line = '"b","k","9","abc"';
    expect(proves(line, noEncryption)).toBe(false);
    expect(etagIsMd5(recordOf(line, noEncryption, "r", new Date()))).toBe(false);
  });
});
