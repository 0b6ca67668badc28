/**
 * Object sizes seen more than once, and a set of them that workers can share: an open-addressing
 * hash table in one Float64Array over a SharedArrayBuffer (a `Set<number>` cannot cross
 * `postMessage` without a copy, and a binary search per row costs ~20 probes where this costs
 * one or two).
 */

/** A set of non-negative integer sizes (below 2^53), in one typed array. */
export class SizeSet {
  /** Slots (a power of two, at most half full); -1 marks an empty slot. */
  readonly slots: Float64Array;
  private readonly mask: number;

  constructor(slotsOrCount: Float64Array | number) {
    if (typeof slotsOrCount === "number") {
      let n = 16;
      while (n < slotsOrCount * 2) n *= 2;
      // Shared memory: posting the set to each worker shares it instead of copying it.
      this.slots = new Float64Array(new SharedArrayBuffer(n * 8)).fill(-1);
    } else this.slots = slotsOrCount;
    this.mask = this.slots.length - 1;
  }

  add(size: number): void {
    let i = slotOf(size) & this.mask;
    for (;;) {
      const v = this.slots[i] as number;
      if (v === size) return;
      if (v === -1) {
        this.slots[i] = size;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  has(size: number): boolean {
    let i = slotOf(size) & this.mask;
    for (;;) {
      const v = this.slots[i] as number;
      if (v === size) return true;
      if (v === -1) return false;
      i = (i + 1) & this.mask;
    }
  }
}

/** A well-mixed 32-bit hash of an integer below 2^53. */
function slotOf(size: number): number {
  const lo = size >>> 0;
  const hi = (size / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/**
 * The sizes seen more than once across `parts` (each sorted ascending, e.g. one per report file,
 * sorted by the thread that read it), counting each of `others` (sizes seen elsewhere) as one
 * more sighting. Also returns how many sizes of `parts` are in the set (the candidate rows).
 */
export function repeatedSizes(
  parts: readonly Float64Array[],
  others: readonly number[] = [],
): { set: SizeSet; rows: number } {
  // Merged pairwise (n log k, linear merges), equal sizes sit side by side: one scan finds them.
  const all = mergeSorted(parts);
  const n = all.length;
  let distinct = 0;
  for (let i = 1; i < n; i++) if (all[i] === all[i - 1] && all[i] !== all[i - 2]) distinct++;
  const set = new SizeSet(distinct + others.length);
  let rows = 0;
  for (let i = 1; i < n; i++) {
    if (all[i] !== all[i - 1]) continue;
    set.add(all[i] as number);
    rows += all[i] === all[i - 2] ? 1 : 2;
  }
  for (const s of others) {
    if (set.has(s)) continue;
    let lo = lowerBound(all, s);
    if (all[lo] !== s) continue;
    set.add(s);
    for (; all[lo] === s; lo++) rows++;
  }
  return { set, rows };
}

/** One sorted array of every value of the sorted `parts`. */
export function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  let level = parts.slice();
  if (level.length === 0) return new Float64Array(0);
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i] as Float64Array;
      const b = level[i + 1];
      next.push(b ? mergeTwo(a, b) : a);
    }
    level = next;
  }
  return level[0] as Float64Array;
}

function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}

/** The first index whose value is ≥ `value` (sorted.length when none). */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
