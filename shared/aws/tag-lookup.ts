/**
 * Looks tags up in a `tagsByArn` map by ARN, case-insensitively: SageMaker lowercases names in
 * ARNs, and ARNs we build (ListApps and ListSpaces return none) may differ in case from the
 * Tagging API's. A resource missing from the map was never tagged: `{}`.
 */
export function tagLookup(map: Map<string, Record<string, string>>): (arn: string) => Record<string, string> {
  const lower = new Map<string, Record<string, string>>();
  for (const [arn, tags] of map) lower.set(arn.toLowerCase(), tags);
  return (arn) => map.get(arn) ?? lower.get(arn.toLowerCase()) ?? {};
}
