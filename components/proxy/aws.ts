import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { ProxyArgs, ProxyEndpoint } from "./index";

export function awsProxy(_name: string, _args: ProxyArgs, _parent: pulumi.ComponentResource): ProxyEndpoint {
    return notImplementedYet("osint:edge:ReverseProxy", "aws");
}
