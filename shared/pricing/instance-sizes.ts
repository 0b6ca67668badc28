/**
 * Instance type names and shapes, for EC2 (`g5.2xlarge`) and SageMaker (`ml.g5.2xlarge`) alike:
 * the family, the vCPU and GPU counts (from INSTANCE_SHAPE), and the size ladder used to propose
 * the next smaller instance of a family.
 */
import { INSTANCE_SHAPE } from "./price-table.ts";

export interface InstanceTypeName {
  /** "ml." for SageMaker types, "" for EC2. */
  prefix: string;
  /** `g5`, `p4de`, `trn1n`, … */
  family: string;
  /** `2xlarge`, `large`, `metal`, … */
  size: string;
}

export function parseInstanceType(instanceType: string): InstanceTypeName | undefined {
  const match = /^(ml\.)?([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/.exec(instanceType);
  if (!match) return undefined;
  return { prefix: match[1] ?? "", family: match[2]!, size: match[3]! };
}

export function instanceFamily(instanceType: string): string | undefined {
  return parseInstanceType(instanceType)?.family;
}

export interface InstanceShape {
  vcpus: number;
  gpus: number;
}

/** vCPUs and GPUs of a type (either spelling), or undefined when the table does not know it. */
export function instanceShape(instanceType: string): InstanceShape | undefined {
  const name = parseInstanceType(instanceType);
  if (!name) return undefined;
  return INSTANCE_SHAPE[`${name.family}.${name.size}`];
}

/**
 * The next smaller size of the same family: among the family's known sizes with fewer vCPUs, no
 * more GPUs and (where both prices are known) a lower price, the one with the most vCPUs.
 * Undefined below the smallest size, or for a type the table does not know. `price` returns the
 * hourly price of a type in the caller's spelling (so SageMaker and EC2 prices both work).
 */
export function nextSmallerInstanceType(
  instanceType: string,
  price: (instanceType: string) => number | undefined,
): string | undefined {
  const name = parseInstanceType(instanceType);
  const current = instanceShape(instanceType);
  if (!name || !current) return undefined;
  const currentPrice = price(instanceType);
  let best: { type: string; vcpus: number; price: number | undefined } | undefined;
  for (const [key, shape] of Object.entries(INSTANCE_SHAPE)) {
    const [family] = key.split(".");
    if (family !== name.family) continue;
    if (shape.vcpus >= current.vcpus || shape.gpus > current.gpus) continue;
    const type = `${name.prefix}${key}`;
    const candidatePrice = price(type);
    if (currentPrice !== undefined && candidatePrice !== undefined && candidatePrice >= currentPrice)
      continue;
    const better =
      !best ||
      shape.vcpus > best.vcpus ||
      (shape.vcpus === best.vcpus && (candidatePrice ?? Infinity) < (best.price ?? Infinity));
    if (better) best = { type, vcpus: shape.vcpus, price: candidatePrice };
  }
  return best?.type;
}
