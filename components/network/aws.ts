import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { NetworkArgs, NetworkAttachment } from "./index";

export function awsNetwork(_name: string, _args: NetworkArgs, _parent: pulumi.ComponentResource): NetworkAttachment {
    return notImplementedYet("osint:network:Network", "aws");
}
