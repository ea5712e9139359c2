import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { DatabaseArgs, DatabaseEndpoint } from "./index";

export function awsDatabase(_name: string, _args: DatabaseArgs, _parent: pulumi.ComponentResource): DatabaseEndpoint {
    return notImplementedYet("osint:data:Database", "aws");
}
