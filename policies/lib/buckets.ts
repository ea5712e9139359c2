// S3 buckets and their separate configuration resources for the stack-level S3 rules, under every
// token @pulumi/aws 7 still ships: aws.s3.Bucket and its deprecated twin BucketV2, and each
// configuration resource next to its "V2" alias (tokens from node_modules/@pulumi/aws/s3/*.js).
import { aws, type TypeToken } from "./resource-types";
import type { PolicyResource } from "@pulumi/policy";
import { linksTo, ofTypes } from "./references";

export const BUCKET_TYPES = [aws.s3.Bucket, aws.s3.BucketV2];
export const ENCRYPTION_TYPES = [aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2];
export const VERSIONING_TYPES = [aws.s3.BucketVersioning, aws.s3.BucketVersioningV2];
export const ACL_TYPES = [aws.s3.BucketAcl, aws.s3.BucketAclV2];

/** The stack's buckets. */
export function buckets(resources: readonly PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, BUCKET_TYPES);
}

/** The resources of `types` whose `bucket` names this bucket (by name, id or ARN). */
export function configurationsOf(bucket: PolicyResource, resources: readonly PolicyResource[], types: readonly TypeToken[]): PolicyResource[] {
    return linksTo(bucket, ofTypes(resources, types), "bucket", "bucket");
}

/** The stack's buckets that no resource of `types` names (e.g. no logging or replication configuration). */
export function bucketsWithout(resources: readonly PolicyResource[], types: readonly TypeToken[]): PolicyResource[] {
    return buckets(resources).filter((bucket) => configurationsOf(bucket, resources, types).length === 0);
}
