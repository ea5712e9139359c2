import { docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

// The forms docker accepts for the option ("no-new-privileges", with ":true" or "=true").
const NO_NEW_PRIVILEGES = /^no-new-privileges([:=]true)?$/;

// Docker only: ECS's dockerSecurityOptions is not available on Fargate, which runs every task of this
// program, and container-not-privileged and container-capabilities cover ECS's escalation paths.
export const containerNoNewPrivileges: Rule = {
    name: "container-no-new-privileges",
    description: "Checks that every docker container sets no-new-privileges, so setuid binaries cannot raise a process's privileges.",
    controls: ["CIS Docker 5.26"],
    severity: "medium",
    remediationSteps: 'Add "no-new-privileges:true" to the docker Container\'s `securityOpts`.',
    validateResource: validateTypes([docker.Container], (container, _args, reportViolation) => {
        if (!strings(container.securityOpts).some((o) => NO_NEW_PRIVILEGES.test(o)))
            reportViolation(at("securityOpts", `Containers must set no-new-privileges: securityOpts is ${shown(container.securityOpts)}.`));
    }),
};
