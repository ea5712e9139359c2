import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { BackupsArgs, BackupsEndpoint } from "./index";

export function awsBackups(_name: string, _args: BackupsArgs, _parent: pulumi.ComponentResource): BackupsEndpoint {
    return notImplementedYet("osint:data:Backups", "aws");
}
