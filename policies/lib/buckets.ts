// S3 buckets and their separate configuration resources for the stack-level S3 rules, under every
// token @pulumi/aws 7 still ships: aws.s3.Bucket and its deprecated twin BucketV2, and each
// configuration resource next to its "V2" alias (tokens from node_modules/@pulumi/aws/s3/*.js).
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { referencedBy } from "./references";
import { isAnyType } from "./values";

export const BUCKET_TYPES = [aws.s3.Bucket, aws.s3.BucketV2];
export const ENCRYPTION_TYPES = [aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2];
export const VERSIONING_TYPES = [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2];
export const ACL_TYPES = [aws.s3.BucketAcl, aws.s3.BucketAclV2];

/** The stack's buckets. */
export function buckets(resources: readonly PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => isAnyType(r, BUCKET_TYPES));
}

// The stack's resources of each list of types, found once per stack view: each bucket then looks
// through its configurations only, not the whole stack.
const ofTypes = new WeakMap<readonly PolicyResource[], Map<readonly unknown[], PolicyResource[]>>();

function resourcesOf(resources: readonly PolicyResource[], types: readonly unknown[]): PolicyResource[] {
    let byTypes = ofTypes.get(resources);
    if (!byTypes) ofTypes.set(resources, (byTypes = new Map()));
    let found = byTypes.get(types);
    if (!found) byTypes.set(types, (found = resources.filter((r) => isAnyType(r, types))));
    return found;
}

/** The resources of `types` whose `bucket` names this bucket (by name, id or ARN). */
export function configurationsOf(bucket: PolicyResource, resources: readonly PolicyResource[], types: readonly unknown[]): PolicyResource[] {
    return resourcesOf(resources, types).filter((r) => referencedBy([bucket], r.props.bucket, "bucket").length > 0);
}
