import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { EC2Client, DescribeInstancesCommand, StopInstancesCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { SageMakerClient, ListEndpointsCommand, DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { ResourceGroupsTaggingAPIClient, GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import { startSandbox } from "./shared/local/sandbox/server.ts";
import type { Scenario } from "./shared/local/sandbox/types.ts";
const now = Date.parse("2025-03-10T12:00:00Z");
const scenario: Scenario = { name: "t", description: "", accountId: "123456789012", region: "us-east-1", callerArn: "arn:aws:sts::123456789012:assumed-role/Janitor/s1", now,
  sagemaker: { endpoints: [{ name: "Ep1", configName: "c1", status: "InService", creationTime: now - 86400000, lastModifiedTime: now, variants: [{ variantName: "AllTraffic", currentInstanceCount: 1 }], tags: { a: "b" } }], endpointConfigs: [], models: [], notebookInstances: [], trainingJobs: [] },
  ec2: { instances: [{ instanceId: "i-0abc", instanceType: "g5.2xlarge", state: "running", launchTime: now - 1e8, tags: { Name: "x" } }], volumes: [{ volumeId: "vol-1", volumeType: "gp3", sizeGiB: 500, state: "available", createTime: now - 1e9, tags: {} }] },
  metrics: [{ namespace: "AWS/SageMaker", metricName: "Invocations", dimensions: { EndpointName: "Ep1", VariantName: "AllTraffic" }, points: [{ t: now - 3600_000, v: 5 }, { t: now - 3500_000, v: 7 }] }],
  costs: [{ date: "2025-03-01", service: "Amazon SageMaker", amountUsd: 12.5, tags: { team: "x" } }], s3: { buckets: [] } };
const sb = await startSandbox({ scenario });
const cfg = { endpoint: sb.url, region: "us-east-1", credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" }, maxAttempts: 1 };
const show = async (label: string, f: () => Promise<unknown>) => { try { const r = await f() as Record<string, unknown>; delete r.$metadata; console.log(label, JSON.stringify(r)); } catch (e) { const er = e as Error & {$metadata?: {httpStatusCode?: number}; $fault?: string}; console.log(label, "ERR", er.name, er.message, er.$metadata?.httpStatusCode, er.$fault, er.constructor.name); } };
await show("sts", () => new STSClient(cfg).send(new GetCallerIdentityCommand({})));
await show("ec2", async () => { const r = await new EC2Client(cfg).send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] })); console.log(r.Reservations?.[0]?.Instances?.[0]?.LaunchTime instanceof Date); return r; });
await show("ec2vol", () => new EC2Client(cfg).send(new DescribeVolumesCommand({ MaxResults: 5 })));
await show("ec2bad", () => new EC2Client(cfg).send(new DescribeVolumesCommand({ MaxResults: 501 })));
await show("ec2nf", () => new EC2Client(cfg).send(new StopInstancesCommand({ InstanceIds: ["i-nope"] })));
await show("ec2stop", () => new EC2Client(cfg).send(new StopInstancesCommand({ InstanceIds: ["i-0abc"] })));
await show("cw", async () => { const r = await new CloudWatchClient(cfg).send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Namespace: "AWS/SageMaker", MetricName: "Invocations", Dimensions: [{ Name: "EndpointName", Value: "Ep1" }, { Name: "VariantName", Value: "AllTraffic" }] }, Period: 3600, Stat: "Sum" } }], StartTime: new Date(now - 86400000), EndTime: new Date(now) })); console.log(r.MetricDataResults?.[0]?.Timestamps?.[0] instanceof Date); return r; });
await show("cwbad", () => new CloudWatchClient(cfg).send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "A", MetricStat: { Metric: { Namespace: "n", MetricName: "m" }, Period: 60, Stat: "Sum" } }], StartTime: new Date(now - 86400000), EndTime: new Date(now) })));
await show("cwbad2", () => new CloudWatchClient(cfg).send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Namespace: "n", MetricName: "m" }, Period: 61, Stat: "Sum" } }], StartTime: new Date(now - 86400000), EndTime: new Date(now) })));
await show("sm", async () => { const r = await new SageMakerClient(cfg).send(new ListEndpointsCommand({})); console.log(r.Endpoints?.[0]?.CreationTime instanceof Date); return r; });
await show("smbad", () => new SageMakerClient(cfg).send(new ListEndpointsCommand({ MaxResults: 101 })));
await show("smnf", () => new SageMakerClient(cfg).send(new DescribeEndpointCommand({ EndpointName: "nope" })));
await show("ce", () => new CostExplorerClient(cfg).send(new GetCostAndUsageCommand({ TimePeriod: { Start: "2025-03-01", End: "2025-03-03" }, Granularity: "DAILY", Metrics: ["UnblendedCost"], GroupBy: [{ Type: "TAG", Key: "team" }] })));
await show("tag", () => new ResourceGroupsTaggingAPIClient(cfg).send(new GetResourcesCommand({})));
sb.setKnobs({ throttleRate: 1 });
await show("thr-sts", () => new STSClient(cfg).send(new GetCallerIdentityCommand({})));
await show("thr-ec2", () => new EC2Client(cfg).send(new DescribeVolumesCommand({})));
await show("thr-cw", () => new CloudWatchClient(cfg).send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Namespace: "n", MetricName: "m" }, Period: 60, Stat: "Sum" } }], StartTime: new Date(now - 86400000), EndTime: new Date(now) })));
await show("thr-sm", () => new SageMakerClient(cfg).send(new ListEndpointsCommand({})));
await show("thr-ce", () => new CostExplorerClient(cfg).send(new GetCostAndUsageCommand({ TimePeriod: { Start: "2025-03-01", End: "2025-03-03" }, Granularity: "DAILY", Metrics: ["UnblendedCost"] })));
await show("thr-tag", () => new ResourceGroupsTaggingAPIClient(cfg).send(new GetResourcesCommand({})));
sb.setKnobs({ throttleRate: 0, faultRate: 1 });
await show("f-cw", () => new CloudWatchClient(cfg).send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Namespace: "n", MetricName: "m" }, Period: 60, Stat: "Sum" } }], StartTime: new Date(now - 86400000), EndTime: new Date(now) })));
await show("f-sts", () => new STSClient(cfg).send(new GetCallerIdentityCommand({})));
await show("f-ec2", () => new EC2Client(cfg).send(new DescribeVolumesCommand({})));
await show("f-sm", () => new SageMakerClient(cfg).send(new ListEndpointsCommand({})));
console.log(sb.counts());
await sb.close();
