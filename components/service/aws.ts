import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { ServiceArgs, ServiceEndpoint } from "./index";

export function awsService(_name: string, _args: ServiceArgs, _parent: pulumi.ComponentResource): ServiceEndpoint {
    return notImplementedYet("osint:app:Service", "aws");
}
