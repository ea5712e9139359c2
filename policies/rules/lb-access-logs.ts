import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const lbAccessLogs: Rule = {
    name: "lb-access-logs",
    description: "Checks that load balancers write access logs to an S3 bucket.",
    controls: ["AWS FSBP ELB.5", "Checkov CKV_AWS_91"],
    severity: "medium",
    remediationSteps:
        "Set `accessLogs: { bucket: <bucket>, enabled: true }` on the aws.lb.LoadBalancer, with a bucket policy letting the ELB service write to it.",
    validateResource: validateTypes([aws.lb.LoadBalancer, aws.alb.LoadBalancer], (balancer, _args, reportViolation) => {
        const logs = isRecord(balancer.accessLogs) ? balancer.accessLogs : {};
        if (logs.enabled !== true || typeof logs.bucket !== "string" || logs.bucket === "")
            reportViolation(at("accessLogs", `Load balancers must write access logs: accessLogs is ${shown(balancer.accessLogs)}.`));
    }),
};
