// The regions a stack's config deploys to, which the estimate prices its resources in. Apart from
// cost.ts: reading the config loads the Pulumi SDK, which the cost and diff tools' --help and usage
// errors do not need, so they import it where they use it.
import { readStackConfig } from "../../lib/stack-config";
import type { Regions } from "./estimate";

/** The regions a stack's config deploys to: aws:region and the project's drRegion. */
export function stackRegions(projectDir: string, stack: string, configFile?: string): Regions {
    const { project, config } = readStackConfig(projectDir, stack, configFile);
    const drRegion = config[`${project}:drRegion`];
    return { region: config["aws:region"] ?? "", ...(drRegion ? { drRegion } : {}) };
}
