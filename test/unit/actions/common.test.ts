import { describe, expect, it } from "vitest";
import { checkOrigin, clientsFor, regionOfArn, undoRegion } from "../../../shared/actions/common.ts";
import { InvalidStateError } from "../../../shared/errors.ts";
import { newClients } from "./helpers.ts";

describe("action helpers", () => {
  it("uses the factory for its own region and one reused factory per other region", () => {
    const clients = newClients();
    expect(clientsFor(clients, "us-east-1")).toBe(clients);
    const eu = clientsFor(clients, "eu-west-1");
    expect(eu).not.toBe(clients);
    expect(eu.options.region).toBe("eu-west-1");
    expect(clientsFor(clients, "eu-west-1")).toBe(eu);
  });

  it("classifies a state as act, done or invalid", () => {
    const contract = { validOriginStates: ["InService"], doneStates: ["Stopped"] };
    expect(checkOrigin(contract, "nb", "InService")).toBe("act");
    expect(checkOrigin(contract, "nb", "Stopped")).toBe("done");
    expect(() => checkOrigin(contract, "nb", "Pending")).toThrow(InvalidStateError);
    expect(() => checkOrigin(contract, "nb", "Pending")).toThrow("nb is Pending; expected one of InService");
  });

  it("reads regions from ARNs and undo records", () => {
    expect(regionOfArn("arn:aws:sagemaker:eu-west-1:123456789012:endpoint/x")).toBe("eu-west-1");
    expect(regionOfArn("arn:aws:s3:::bucket")).toBeUndefined();
    expect(
      undoRegion({ data: { region: "ap-south-1" }, resourceArn: "arn:aws:ec2:us-east-1:1:instance/i-1" }),
    ).toBe("ap-south-1");
    expect(undoRegion({ data: {}, resourceArn: "arn:aws:ec2:us-east-1:1:instance/i-1" })).toBe("us-east-1");
  });
});
