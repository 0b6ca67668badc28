import { createHash } from "node:crypto";

/**
 * Deterministic object bodies for the sandbox: the same seed and size always give the same
 * bytes (so "copies" in a scenario are byte-identical), different seeds give different bytes.
 */
export function contentFor(seed: string, size: number): Buffer {
  const body = Buffer.allocUnsafe(size);
  let block = createHash("sha256").update(seed).digest();
  // A 64 KiB pattern derived from the seed, repeated: cheap for large sizes, unique per seed.
  const pattern = Buffer.allocUnsafe(65_536);
  for (let i = 0; i < pattern.length; i += block.length) {
    block.copy(pattern, i);
    block = createHash("sha256").update(block).digest();
  }
  for (let i = 0; i < size; i += pattern.length) pattern.copy(body, i, 0, Math.min(pattern.length, size - i));
  return body;
}
