import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { MonitoringArgs, MonitoringEndpoint } from "./index";

export function awsMonitoring(_name: string, _args: MonitoringArgs, _parent: pulumi.ComponentResource): MonitoringEndpoint {
    return notImplementedYet("osint:observability:Monitoring", "aws");
}
