import type { QueryService } from "../../service.ts";
import { DescribeInstances, StopInstances } from "./instances.ts";
import { CreateSnapshot, CreateVolume, DeleteVolume, DescribeSnapshots } from "./snapshots.ts";
import { StartInstances } from "./start-instances.ts";
import { DescribeVolumes } from "./volumes.ts";

export const ec2: QueryService = {
  name: "EC2",
  signingName: "ec2",
  protocol: "ec2Query",
  version: "2016-11-15",
  xmlNamespace: "http://ec2.amazonaws.com/doc/2016-11-15/",
  errors: {
    // EC2 throttles with a 503, unlike the JSON services' 400s.
    throttle: { code: "RequestLimitExceeded", status: 503 },
    fault: { code: "InternalError", status: 500 },
    unknownOperation: { code: "InvalidAction", status: 400 },
    validation: { code: "InvalidParameterValue", status: 400 },
  },
  operations: {
    DescribeInstances,
    DescribeVolumes,
    StopInstances,
    StartInstances,
    CreateSnapshot,
    DescribeSnapshots,
    DeleteVolume,
    CreateVolume,
  },
};
