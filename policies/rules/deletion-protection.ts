import { aws, docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { BUCKET_TYPES } from "../lib/buckets";
import { isRecord, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

/**
 * The label (and value) of a volume that holds only files the program uploads (the program's
 * components/docker/labels.ts UPLOADS_VOLUME_LABEL): every `up` that changes them writes them again,
 * so deleting it loses no data.
 */
export const UPLOADS_VOLUME = { label: "org.osint-platform.contents", value: "uploads" } as const;

const holdsUploads = (labels: unknown): boolean =>
    Array.isArray(labels) && labels.some((l) => isRecord(l) && l.label === UPLOADS_VOLUME.label && l.value === UPLOADS_VOLUME.value);

export const deletionProtection: Rule = {
    name: "deletion-protection",
    description:
        "Checks that stateful resources (databases, buckets, data volumes) are protected from deletion and that deleting a database keeps a final snapshot.",
    controls: ["AWS FSBP RDS.7", "AWS FSBP RDS.8", "Checkov CKV_AWS_293"],
    controlScopes: { "Checkov CKV_AWS_293": [aws.rds.Instance] },
    severity: "low",
    remediationSteps:
        "Set `deletionProtection: true` and leave `skipFinalSnapshot` unset on RDS instances and clusters; leave `forceDestroy` unset on S3 buckets; give docker data volumes the `protect: true` resource option (a volume labelled `org.osint-platform.contents=uploads` holds only uploaded files, written again by every `up`, and needs none).",
    validateResource: [
        ...validateTypes([aws.rds.Instance, aws.rds.Cluster], (database, args, reportViolation) => {
            const kind = args.type === aws.rds.Cluster ? "clusters" : "instances";
            if (database.deletionProtection !== true)
                reportViolation(
                    at(
                        "deletionProtection",
                        `RDS ${kind} must have deletion protection: deletionProtection is ${shown(database.deletionProtection)}, not true.`,
                    ),
                );
            if (database.skipFinalSnapshot === true)
                reportViolation(at("skipFinalSnapshot", `RDS ${kind} must keep a final snapshot when deleted: skipFinalSnapshot is true.`));
        }),
        // forceDestroy is an opt-in that deletes every object with the bucket; its default (false) is the safe one.
        ...validateTypes(BUCKET_TYPES, (bucket, _args, reportViolation) => {
            if (bucket.forceDestroy === true)
                reportViolation(at("forceDestroy", "S3 buckets must not be destroyable with their objects: forceDestroy is true."));
        }),
        ...validateTypes([docker.Volume], (volume, args, reportViolation) => {
            if (holdsUploads(volume.labels)) return;
            if (args.opts.protect !== true)
                reportViolation(at("protect", "Docker data volumes must be protected from deletion: the resource option protect is not set."));
        }),
    ],
};
