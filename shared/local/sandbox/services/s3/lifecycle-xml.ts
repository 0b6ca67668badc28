/**
 * Lifecycle configurations between S3's XML and the SDK-shaped rules the scenario holds. One
 * field table drives both directions, so what PutBucketLifecycleConfiguration accepts is exactly
 * what GetBucketLifecycleConfiguration gives back. Unknown or repeated elements and non-numeric
 * numbers are refused as S3 refuses them: MalformedXML.
 */
import { lifecycleIssues, lifecycleRulesSchema, type SbLifecycleRule } from "./lifecycle-rule.ts";
import { S3Error } from "./s3-error.ts";
import { el, parseXml, type XmlElement, XmlSyntaxError } from "./xml.ts";

type Scalar = "string" | "int" | "bool";
interface Field {
  /** The property name when it differs from the element name (repeated elements → plural lists). */
  key?: string;
  list?: boolean;
  type: Scalar | Fields;
}
type Fields = Record<string, Field>;

const str: Field = { type: "string" };
const int: Field = { type: "int" };
const tag: Field = { type: { Key: str, Value: str } };
const sizeRange = { ObjectSizeGreaterThan: int, ObjectSizeLessThan: int };

const RULE: Fields = {
  ID: str,
  Prefix: str,
  Filter: {
    type: {
      Prefix: str,
      Tag: tag,
      ...sizeRange,
      And: { type: { Prefix: str, Tag: { ...tag, key: "Tags", list: true }, ...sizeRange } },
    },
  },
  Status: str,
  Expiration: { type: { Days: int, Date: str, ExpiredObjectDeleteMarker: { type: "bool" } } },
  Transition: { key: "Transitions", list: true, type: { Days: int, Date: str, StorageClass: str } },
  NoncurrentVersionTransition: {
    key: "NoncurrentVersionTransitions",
    list: true,
    type: { NoncurrentDays: int, StorageClass: str, NewerNoncurrentVersions: int },
  },
  NoncurrentVersionExpiration: { type: { NoncurrentDays: int, NewerNoncurrentVersions: int } },
  AbortIncompleteMultipartUpload: { type: { DaysAfterInitiation: int } },
};

const malformed = (detail?: string) =>
  new S3Error(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema" +
      (detail ? ` (${detail})` : ""),
    400,
  );

function scalar(e: XmlElement, type: Scalar): string | number | boolean {
  if (e.children.length > 0) throw malformed(`<${e.name}> holds elements, expected a value`);
  if (type === "string") return e.text;
  if (type === "bool") {
    if (e.text !== "true" && e.text !== "false") throw malformed(`<${e.name}> must be true or false`);
    return e.text === "true";
  }
  if (!/^-?\d+$/.test(e.text.trim())) throw malformed(`<${e.name}> must be an integer`);
  return Number(e.text.trim());
}

function read(e: XmlElement, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const child of e.children) {
    const field = fields[child.name];
    if (!field) throw malformed(`unexpected <${child.name}> in <${e.name}>`);
    const key = field.key ?? child.name;
    const value = typeof field.type === "string" ? scalar(child, field.type) : read(child, field.type);
    if (field.list) out[key] = [...((out[key] as unknown[] | undefined) ?? []), value];
    else if (key in out) throw malformed(`<${child.name}> appears twice in <${e.name}>`);
    else out[key] = value;
  }
  return out;
}

function write(value: Record<string, unknown>, fields: Fields): string {
  let xml = "";
  for (const [name, field] of Object.entries(fields)) {
    const v = value[field.key ?? name];
    if (v === undefined) continue;
    for (const item of field.list ? (v as unknown[]) : [v]) {
      xml +=
        typeof field.type === "string"
          ? el(name, item as string | number | boolean)
          : `<${name}>${write(item as Record<string, unknown>, field.type)}</${name}>`;
    }
  }
  return xml;
}

export function lifecycleToXml(rules: readonly SbLifecycleRule[]): string {
  return rules.map((r) => `<Rule>${write(r, RULE)}</Rule>`).join("");
}

/** A PutBucketLifecycleConfiguration body → the rules to store, or the S3 error S3 would answer. */
export function lifecycleFromXml(body: string): SbLifecycleRule[] {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (err) {
    throw malformed(err instanceof XmlSyntaxError ? err.message : undefined);
  }
  if (root.name !== "LifecycleConfiguration") throw malformed(`root element is <${root.name}>`);
  const rules = root.children.map((child) => {
    if (child.name !== "Rule") throw malformed(`unexpected <${child.name}> in <LifecycleConfiguration>`);
    return read(child, RULE);
  });
  const parsed = lifecycleRulesSchema.safeParse(rules);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw malformed(`${first.path.join(".") || "Rules"}: ${first.message}`);
  }
  const issue = lifecycleIssues(parsed.data)[0];
  if (issue) throw new S3Error(issue.code, issue.message, 400);
  return parsed.data;
}
