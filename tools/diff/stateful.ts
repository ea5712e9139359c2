// The resource types whose deletion loses data: a diff that removes one says so loudly, and
// `npm run diff -- --fail-on-destroy` exits 1. The one list; add a type here when the program
// starts creating another kind of store.
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
    "aws:rds/instance:Instance": "database",
    "aws:rds/cluster:Cluster": "database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "database (cache and job queue)",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:cloudwatch/logGroup:LogGroup": "log group",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:backup/vault:Vault": "backup vault",
    // Deleting a key makes everything encrypted with it unreadable once its deletion window ends.
    "aws:kms/key:Key": "encryption key",
    "docker:index/volume:Volume": "volume",
    "aws:ebs/volume:Volume": "volume",
    "aws:efs/fileSystem:FileSystem": "volume",
};
