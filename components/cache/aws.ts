import type * as pulumi from "@pulumi/pulumi";
import { notImplementedYet } from "../shared/platform";
import type { CacheArgs, CacheEndpoint } from "./index";

export function awsCache(_name: string, _args: CacheArgs, _parent: pulumi.ComponentResource): CacheEndpoint {
    return notImplementedYet("osint:data:Cache", "aws");
}
