// The signatures the engine marks special property values with (@pulumi/pulumi runtime/rpc.js),
// copied: a check of a file loads no Pulumi SDK (tests/policies/check-cli.test.ts), so the reader
// must not load it either. tests/property-values.test.ts checks each equals the SDK's.

/** The key of a signature object ({[SIG_KEY]: <signature>, ...}). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** What the engine sends for a value not known until deployment. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
