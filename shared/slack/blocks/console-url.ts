/**
 * The AWS console page of a finding's resource, in the resource's region and partition
 * (commercial, China, GovCloud each have their own console host).
 */
import type { Finding } from "../../types.ts";

function consoleBase(region: string): string {
  if (region.startsWith("cn-")) return "https://console.amazonaws.cn";
  if (region.startsWith("us-gov-")) return "https://console.amazonaws-us-gov.com";
  return `https://${region}.console.aws.amazon.com`;
}

function s3Base(region: string): string {
  if (region.startsWith("cn-") || region.startsWith("us-gov-")) return `${consoleBase(region)}/s3`;
  return "https://s3.console.aws.amazon.com/s3";
}

/** The part of an ARN after `arn:partition:service:region:account:`. */
function arnResource(arn: string): string {
  return arn.split(":").slice(5).join(":");
}

/** Studio apps, spaces and user profiles live under a domain: `app/d-abc123/…`, `user-profile/d-abc123/…`. */
function studioDomainId(finding: Finding): string | undefined {
  const fromArn = /\/(d-[a-z0-9]+)(\/|$)/.exec(arnResource(finding.resource.arn))?.[1];
  if (fromArn) return fromArn;
  return /^d-[a-z0-9]+$/.test(finding.resource.id) ? finding.resource.id : undefined;
}

export function consoleUrl(finding: Finding): string {
  const { type, id, region } = finding.resource;
  const e = encodeURIComponent;
  const sagemaker = `${consoleBase(region)}/sagemaker/home?region=${e(region)}#`;
  const ec2 = `${consoleBase(region)}/ec2/home?region=${e(region)}#`;
  switch (type) {
    case "sagemaker:endpoint":
      return `${sagemaker}/endpoints/${e(id)}`;
    case "sagemaker:notebook-instance":
      return `${sagemaker}/notebook-instances/${e(id)}`;
    case "sagemaker:training-job":
      return `${sagemaker}/jobs/${e(id)}`;
    case "sagemaker:processing-job":
      return `${sagemaker}/processing-jobs/${e(id)}`;
    case "sagemaker:app":
    case "sagemaker:space":
    case "sagemaker:user-profile":
    case "sagemaker:domain": {
      const domain = studioDomainId(finding);
      return domain ? `${sagemaker}/studio/${e(domain)}` : `${sagemaker}/studio`;
    }
    case "ec2:instance":
      return `${ec2}InstanceDetails:instanceId=${e(id)}`;
    case "ec2:volume":
      return `${ec2}VolumeDetails:volumeId=${e(id)}`;
    case "s3:bucket":
    case "s3:multipart-uploads":
      return `${s3Base(region)}/buckets/${e(id)}?region=${e(region)}&tab=objects`;
    case "s3:object": {
      // arn:aws:s3:::bucket/key/with/slashes
      const path = arnResource(finding.resource.arn);
      const slash = path.indexOf("/");
      const bucket = slash < 0 ? path : path.slice(0, slash);
      const key = slash < 0 ? id : path.slice(slash + 1);
      return `${s3Base(region)}/object/${e(bucket)}?region=${e(region)}&prefix=${e(key)}`;
    }
    default: {
      const unknown: never = type;
      throw new Error(`no console page for resource type ${String(unknown)}`);
    }
  }
}
