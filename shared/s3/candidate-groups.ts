/**
 * The candidate rows of an S3 Inventory read, grouped by (size, ETag) while they stay bytes: the
 * lines of each file as the candidates pass returned them (one buffer per file), and typed arrays
 * of numbers for the rest — no string and no object per row (a Map keyed by `size/etag` strings
 * cost ~2 µs a candidate, more than reading the row). Rows are looked up by the two 32-bit hashes
 * the pass computed; rows whose hashes match are compared by size and ETag bytes, so a hash
 * collision can never join two different ETags. A line becomes a string only when its group is
 * drained (shared/s3/inventory-csv.ts makes the records).
 */
import type { CandidatesOfFile } from "./inventory-rows.ts";

const NEWLINE = 0x0a;

/** A typed array at least `need` long (doubling, so adding rows one file at a time stays linear). */
function grown<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}

export class CandidateGroups {
  private readonly files: CandidatesOfFile[] = [];
  // Per row (k): its file and where its line starts; the next row of its group (-1: last).
  private rowFile = new Uint32Array(1 << 16);
  private rowStart = new Uint32Array(1 << 16);
  private rowNext = new Int32Array(1 << 16);
  /** Per row: where its ETag starts and ends in its file's buffer. */
  private rowEtag = new Uint32Array(1 << 17);
  // Per group (g), in the order groups were first seen: hashes, size, first and last row, rows.
  private groupH1 = new Uint32Array(1 << 16);
  private groupH2 = new Uint32Array(1 << 16);
  private groupSize = new Float64Array(1 << 16);
  private groupHead = new Int32Array(1 << 16);
  private groupTail = new Int32Array(1 << 16);
  private groupRows = new Uint32Array(1 << 16);
  /** Per group: whether its first row's ETag proves its content (what a lone row needs). */
  private groupMd5 = new Uint8Array(1 << 16);
  /** Open addressing: group ids (-1: empty), at most half full. */
  private table = new Int32Array(1 << 17).fill(-1);
  /** Candidate rows added. */
  count = 0;
  /** Groups formed. */
  groups = 0;

  /** Sizes the tables for `rows` candidate rows (no growing or rehashing on the way). */
  expect(rows: number): void {
    this.rowFile = grown(this.rowFile, rows);
    this.rowStart = grown(this.rowStart, rows);
    this.rowNext = grown(this.rowNext, rows);
    this.rowEtag = grown(this.rowEtag, 2 * rows);
    this.groupMd5 = grown(this.groupMd5, rows);
    for (const name of ["groupH1", "groupH2", "groupRows"] as const) this[name] = grown(this[name], rows);
    this.groupSize = grown(this.groupSize, rows);
    this.groupHead = grown(this.groupHead, rows);
    this.groupTail = grown(this.groupTail, rows);
    let slots = this.table.length;
    while (slots < rows * 2) slots *= 2;
    if (slots > this.table.length) {
      this.table = new Int32Array(slots).fill(-1);
      this.rehash(slots);
    }
  }

  /** Adds one file's candidates; files must be added in report order (it sets the output order). */
  add(file: CandidatesOfFile): void {
    const f = this.files.length;
    this.files.push(file);
    const n = file.sizes.length;
    this.rowFile = grown(this.rowFile, this.count + n);
    this.rowStart = grown(this.rowStart, this.count + n);
    this.rowNext = grown(this.rowNext, this.count + n);
    this.rowEtag = grown(this.rowEtag, 2 * (this.count + n));
    for (let i = 0; i < n; i++) {
      const k = this.count++;
      this.rowFile[k] = f;
      this.rowStart[k] = file.starts[i] as number;
      this.rowNext[k] = -1;
      this.rowEtag[2 * k] = file.etags[2 * i] as number;
      this.rowEtag[2 * k + 1] = file.etags[2 * i + 1] as number;
      const g = this.groupOf(f, i);
      if (this.groupRows[g] === 0) {
        this.groupHead[g] = k;
        this.groupMd5[g] = file.md5[i] as number;
      } else this.rowNext[this.groupTail[g] as number] = k;
      this.groupTail[g] = k;
      this.groupRows[g] = (this.groupRows[g] as number) + 1;
    }
  }

  /** The group of row `i` of file `f`: found by its hashes and checked by bytes, or a new one. */
  private groupOf(f: number, i: number): number {
    const file = this.files[f] as CandidatesOfFile;
    const h1 = file.keys[2 * i] as number;
    const h2 = file.keys[2 * i + 1] as number;
    const size = file.sizes[i] as number;
    const mask = this.table.length - 1;
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      const g = this.table[slot] as number;
      if (g === -1) break;
      if (
        this.groupH1[g] === h1 &&
        this.groupH2[g] === h2 &&
        this.groupSize[g] === size &&
        this.sameEtag(g, file, i)
      )
        return g;
      slot = (slot + 1) & mask;
    }
    const g = this.groups++;
    this.groupH1 = grown(this.groupH1, g + 1);
    this.groupH2 = grown(this.groupH2, g + 1);
    this.groupSize = grown(this.groupSize, g + 1);
    this.groupHead = grown(this.groupHead, g + 1);
    this.groupTail = grown(this.groupTail, g + 1);
    this.groupRows = grown(this.groupRows, g + 1);
    this.groupMd5 = grown(this.groupMd5, g + 1);
    this.groupH1[g] = h1;
    this.groupH2[g] = h2;
    this.groupSize[g] = size;
    this.groupRows[g] = 0;
    this.table[slot] = g;
    if (this.groups * 2 > this.table.length) this.rehash(this.table.length * 2);
    return g;
  }

  private sameEtag(g: number, file: CandidatesOfFile, i: number): boolean {
    const head = this.groupHead[g] as number;
    const other = (this.files[this.rowFile[head] as number] as CandidatesOfFile).lines;
    const a0 = this.rowEtag[2 * head] as number;
    const a1 = this.rowEtag[2 * head + 1] as number;
    const b0 = file.etags[2 * i] as number;
    const b1 = file.etags[2 * i + 1] as number;
    return a1 - a0 === b1 - b0 && file.lines.compare(other, a0, a1, b0, b1) === 0;
  }

  private rehash(slots: number): void {
    const table = new Int32Array(slots).fill(-1);
    const mask = table.length - 1;
    for (let g = 0; g < this.groups; g++) {
      let slot = ((this.groupH1[g] as number) ^ Math.imul(this.groupH2[g] as number, 0x9e3779b1)) & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = g;
    }
    this.table = table;
  }

  /**
   * Visits the groups in the order they were first seen (a group is an index for `forEachRow`,
   * `rowsOf`, `sizeOf`, `etagIsMd5Of`, valid during its visit); then lets the bytes go.
   */
  *drain(): Generator<number> {
    this.table = new Int32Array(0);
    for (let g = 0; g < this.groups; g++) yield g;
    this.files.length = 0;
  }

  rowsOf(g: number): number {
    return this.groupRows[g] as number;
  }

  sizeOf(g: number): number {
    return this.groupSize[g] as number;
  }

  /** Calls `visit` with the bytes of each line of group `g` (valid during the call), in report order. */
  forEachRow(g: number, visit: (buf: Buffer, start: number, end: number) => void): void {
    for (let k = this.groupHead[g] as number; k !== -1; k = this.rowNext[k] as number) {
      const { lines: buf } = this.files[this.rowFile[k] as number] as CandidatesOfFile;
      const start = this.rowStart[k] as number;
      visit(buf, start, buf.indexOf(NEWLINE, start));
    }
  }

  /** Whether the ETag of group `g`'s first row proves its content (shared/s3/inventory-rows.ts). */
  etagIsMd5Of(g: number): boolean {
    return this.groupMd5[g] === 1;
  }
}
