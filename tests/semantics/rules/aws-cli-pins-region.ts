// The AWS CLI takes its region from --region, then AWS_REGION, then the profile (AWS CLI v2 user
// guide, "Configuration and credential file settings"): a command that calls `aws` without the
// stack's region acts on whatever region the laptop or runner defaults to.
import type { SemanticsRule } from "../rule";
import { byName, environmentOf, ofType, scriptsOf, stackRegion, TYPE } from "../plan-reading";

const CALLS_AWS = /(^|[\s;&|(`$])aws\s+[a-z]/m;

export const awsCliPinsRegion: SemanticsRule = {
    name: "aws-cli-pins-region",
    description: "Every command that calls the aws CLI runs with AWS_REGION set to the stack's aws:region",
    source: "AWS CLI v2 user guide, Configuration and credential file settings (precedence); @pulumi/command local.Command environment",
    targets: ["aws"],
    check(plan) {
        const region = stackRegion(plan);
        return ofType(plan, TYPE.command)
            .filter((c) => CALLS_AWS.test(scriptsOf(c)))
            .filter((c) => environmentOf(c).AWS_REGION !== region)
            .map((c) => `${c.name}: calls the aws CLI with AWS_REGION ${JSON.stringify(environmentOf(c).AWS_REGION)}, not the stack's ${region}`);
    },
    mutate(plan) {
        delete environmentOf(byName(plan, TYPE.command, "backend-migrate")).AWS_REGION;
    },
};
