import { describe, expect, it } from "vitest";
import { consoleUrl } from "../../../shared/slack/blocks/console-url.ts";
import type { Finding, ResourceType } from "../../../shared/types.ts";
import { sampleFinding } from "../../fixtures/findings.ts";

function finding(type: ResourceType, id: string, arn: string, region = "eu-west-1"): Finding {
  const base = sampleFinding(id);
  return { ...base, resource: { ...base.resource, type, id, arn, region } };
}

describe("consoleUrl", () => {
  it.each([
    [
      finding("sagemaker:endpoint", "churn", "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn"),
      "https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/endpoints/churn",
    ],
    [
      finding(
        "sagemaker:notebook-instance",
        "nb-1",
        "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/nb-1",
      ),
      "https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/notebook-instances/nb-1",
    ],
    [
      finding(
        "sagemaker:training-job",
        "train-7",
        "arn:aws:sagemaker:eu-west-1:123456789012:training-job/train-7",
      ),
      "https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/train-7",
    ],
    [
      finding(
        "sagemaker:app",
        "default",
        "arn:aws:sagemaker:eu-west-1:123456789012:app/d-abc123xyz/ana/JupyterLab/default",
      ),
      "https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/studio/d-abc123xyz",
    ],
    [
      finding("ec2:instance", "i-0abc", "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc"),
      "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc",
    ],
    [
      finding("ec2:volume", "vol-0abc", "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc"),
      "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#VolumeDetails:volumeId=vol-0abc",
    ],
    [
      finding("s3:bucket", "ml-datasets", "arn:aws:s3:::ml-datasets"),
      "https://s3.console.aws.amazon.com/s3/buckets/ml-datasets?region=eu-west-1&tab=objects",
    ],
    [
      finding("s3:object", "raw/a b.parquet", "arn:aws:s3:::ml-datasets/raw/a b.parquet"),
      "https://s3.console.aws.amazon.com/s3/object/ml-datasets?region=eu-west-1&prefix=raw%2Fa%20b.parquet",
    ],
  ])("links %#: %s", (f, expected) => {
    expect(consoleUrl(f)).toBe(expected);
  });

  it("uses the partition's console in China and GovCloud", () => {
    const cn = finding(
      "sagemaker:endpoint",
      "e",
      "arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/e",
      "cn-north-1",
    );
    const gov = finding(
      "ec2:instance",
      "i-1",
      "arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-1",
      "us-gov-west-1",
    );

    expect(consoleUrl(cn)).toMatch(/^https:\/\/console\.amazonaws\.cn\/sagemaker\/home\?region=cn-north-1#/);
    expect(consoleUrl(gov)).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\/ec2\/home\?region=us-gov-west-1#/,
    );
  });

  it("encodes ids so a name cannot break out of the URL", () => {
    const f = finding(
      "sagemaker:endpoint",
      "a#b?c",
      "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/a#b?c",
    );

    expect(consoleUrl(f)).toMatch(/#\/endpoints\/a%23b%3Fc$/);
  });
});
