/**
 * Duplicate objects, proven: the pure grouping shared by the listing loader (to pick which
 * objects deserve a HEAD or a hash) and by the `s3-duplicates` detector (to form the groups).
 *
 * Equality is proven only by
 * - an MD5 of the content we streamed ourselves (`content-md5`): MD5, so that it compares with
 *   the ETags that are MD5s — a multipart copy hashed by us joins single-part copies;
 * - an S3 checksum of a strong algorithm (SHA-256, SHA-1, CRC64NVME) of the same algorithm and
 *   type: a FULL_OBJECT checksum does not depend on part size; a COMPOSITE one does, so two
 *   equal composites prove equality but different composites prove nothing;
 * - the ETag of a single-part object stored unencrypted or with SSE-S3 (then it is the MD5).
 * CRC32/CRC32C are too short to prove equality among many objects of one size: they only make
 * a group probable. Multipart ETags (`…-N`) and SSE-KMS / SSE-C ETags prove nothing.
 */

export interface S3ObjectRecord {
  bucket: string;
  /** The bucket's region (for prices). */
  region: string;
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  lastModified: Date;
  storageClass: string;
  /** NONE, SSE-S3, SSE-KMS, DSSE-KMS, SSE-C; undefined when not known (no HEAD done). */
  encryption?: string;
  versionId?: string;
  /** The bucket keeps versions: deleting adds a delete marker, the bytes stay billed. */
  versioned?: boolean;
  /** Retention or legal hold: never deleted, whatever the group says. */
  locked?: boolean;
  checksum?: { algorithm: string; type: "FULL_OBJECT" | "COMPOSITE"; value: string };
  /** Hex MD5 of the content, when we streamed it (within the run's byte budget). */
  contentMd5?: string;
  /** Why the content was not hashed, when it was needed (e.g. "byte budget spent"). */
  notHashed?: string;
  /** What produced this record: `listing`, `inventory <date>` or `athena query <id>` (evidence). */
  source?: string;
}

export type ProofMethod = "content-md5" | "etag-md5" | "checksum";

const STRONG_CHECKSUMS = new Set(["SHA256", "SHA1", "CRC64NVME"]);

/**
 * What proves this object's content, as a key equal only for equal content; undefined when
 * nothing does. MD5s (ours or the ETag) come first so that they compare with each other; a
 * strong checksum is used only when no MD5 is known (then it compares with the same algorithm
 * and type only — the loader hashes a size class whose members mix MD5s and checksums).
 */
export function proofKey(o: S3ObjectRecord): { key: string; method: ProofMethod } | undefined {
  if (o.contentMd5) return { key: `md5:${o.contentMd5}`, method: "content-md5" };
  if (etagIsMd5(o)) return { key: `md5:${o.etag}`, method: "etag-md5" };
  if (o.checksum && STRONG_CHECKSUMS.has(o.checksum.algorithm)) {
    const c = o.checksum;
    return { key: `${c.algorithm}:${c.type}:${c.value}`, method: "checksum" };
  }
  return undefined;
}

/** Single-part and unencrypted or SSE-S3: S3's ETag is then the content's MD5. */
export function etagIsMd5(o: S3ObjectRecord): boolean {
  return !o.etag.includes("-") && (o.encryption === "NONE" || o.encryption === "SSE-S3");
}

export interface ObjectGroup {
  size: number;
  proven: boolean;
  /** How equality was proven (every member shares one of these keys), or why it could not be. */
  method: ProofMethod | "probable-etag" | "probable-crc";
  members: S3ObjectRecord[];
}

/**
 * Sizes that occur more than once at or above `minSize`: the only objects worth a HEAD or a hash.
 * One pass, a count per size; callers then keep only objects whose size is in the set.
 */
export function candidateSizes(sizes: Iterable<number>, minSize: number): Set<number> {
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const s of sizes) {
    if (s < minSize) continue;
    if (seen.has(s)) repeated.add(s);
    else seen.add(s);
  }
  return repeated;
}

/**
 * Groups of identical content among `objects`: first by size, then by proof key. Objects with
 * no proof that share size and ETag (or a weak checksum) with another form a probable group.
 * An object proven by several means (ETag MD5 and a hash) joins by the strongest one; a proven
 * object whose ETag matches an unproven one is not merged with it.
 */
export function duplicateGroups(objects: readonly S3ObjectRecord[], minSize: number): ObjectGroup[] {
  const sizes = candidateSizes(
    objects.map((o) => o.size),
    minSize,
  );
  const bySize = new Map<number, S3ObjectRecord[]>();
  for (const o of objects) {
    if (!sizes.has(o.size)) continue;
    const list = bySize.get(o.size);
    if (list) list.push(o);
    else bySize.set(o.size, [o]);
  }
  const groups: ObjectGroup[] = [];
  for (const [size, members] of bySize) {
    const proven = new Map<string, { method: ObjectGroup["method"]; members: S3ObjectRecord[] }>();
    const probable = new Map<string, { method: ObjectGroup["method"]; members: S3ObjectRecord[] }>();
    for (const o of members) {
      const proof = equalityKeys(o);
      const target = proof.proven ? proven : probable;
      const entry = target.get(proof.key);
      if (entry) entry.members.push(o);
      else target.set(proof.key, { method: proof.method, members: [o] });
    }
    for (const g of proven.values()) {
      if (g.members.length < 2) continue;
      // MD5-keyed groups mix our hashes and ETags: name the weakest proof used.
      const methods = new Set(g.members.map((m) => proofKey(m)?.method));
      const method = methods.has("etag-md5") ? "etag-md5" : g.method;
      groups.push({ size, proven: true, method, members: g.members });
    }
    for (const g of probable.values()) {
      if (g.members.length > 1) groups.push({ size, proven: false, method: g.method, members: g.members });
    }
  }
  return groups.sort((a, b) => b.size * (b.members.length - 1) - a.size * (a.members.length - 1));
}

/** The one key an object is grouped by: its proof, else its weak checksum, else its ETag. */
function equalityKeys(o: S3ObjectRecord): { proven: boolean; key: string; method: ObjectGroup["method"] } {
  const proof = proofKey(o);
  if (proof) return { proven: true, key: proof.key, method: proof.method };
  if (o.checksum) {
    return {
      proven: false,
      key: `${o.checksum.algorithm}:${o.checksum.type}:${o.checksum.value}`,
      method: "probable-crc",
    };
  }
  return { proven: false, key: `etag:${o.etag}`, method: "probable-etag" };
}

/**
 * Which copy stays: the first preferred location (`bucket/prefix`, in the policy's order),
 * else a copy that stays anyway (protected or production bucket), else the oldest; ties by
 * bucket and key, so the choice is stable across runs.
 */
export function keepCopy(
  members: readonly S3ObjectRecord[],
  preferred: readonly string[],
  /** Copies that stay whatever happens (protected or production buckets): kept before the oldest. */
  stays: (o: S3ObjectRecord) => boolean = () => false,
): S3ObjectRecord {
  const rank = (o: S3ObjectRecord): number => {
    const path = `${o.bucket}/${o.key}`;
    const i = preferred.findIndex((p) => path.startsWith(p.replace(/^s3:\/\//, "")));
    return i === -1 ? preferred.length : i;
  };
  const sorted = [...members].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Number(stays(b)) - Number(stays(a)) ||
      a.lastModified.getTime() - b.lastModified.getTime() ||
      a.bucket.localeCompare(b.bucket) ||
      a.key.localeCompare(b.key),
  );
  return sorted[0] as S3ObjectRecord;
}
