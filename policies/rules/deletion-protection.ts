import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const deletionProtection: ResourceValidationPolicy = {
    name: "deletion-protection",
    description: "Checks that stateful resources (databases, buckets, data volumes) are protected from deletion.",
    remediationSteps:
        "Set `deletionProtection: true` on RDS instances and clusters; leave `forceDestroy` unset on S3 buckets; give docker data volumes the `protect: true` resource option.",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (instance, _args, reportViolation) => {
            if (instance.deletionProtection !== true) reportViolation("RDS instances must have deletion protection: deletionProtection is not true.");
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
            if (cluster.deletionProtection !== true) reportViolation("RDS clusters must have deletion protection: deletionProtection is not true.");
        }),
        // forceDestroy is an opt-in that deletes every object with the bucket; its default (false) is the safe one.
        validateResourceOfType(aws.s3.Bucket, (bucket, _args, reportViolation) => {
            if (bucket.forceDestroy === true) reportViolation("S3 buckets must not be destroyable with their objects: forceDestroy is true.");
        }),
        validateResourceOfType(docker.Volume, (_volume, args, reportViolation) => {
            if (args.opts.protect !== true) reportViolation("Docker data volumes must be protected from deletion: the resource option protect is not set.");
        }),
    ],
};
