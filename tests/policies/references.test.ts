// The stack rules' lookups (policies/lib/references.ts) index each list of resources once, so a check
// of 10,000 resources does not scan the stack per bucket; on any stack they answer what a scan answers.
import { strict as assert } from "node:assert";
import type { PolicyResource } from "@pulumi/policy";
import fc from "fast-check";
import { linksTo, ofTypes, referencedBy } from "../../policies/lib/references";
import { aws } from "../../policies/lib/resource-types";

const TYPES: string[] = [aws.s3.Bucket, aws.s3.BucketV2, aws.s3.BucketPolicy, aws.ec2.Vpc];
// Few distinct names, so that links often match, and values that are no name at all.
const reference = fc.oneof(fc.constantFrom("a", "b", "arn:aws:s3:::a", ""), fc.constant(undefined), fc.integer({ min: 0, max: 2 }));
const stack = fc.array(
    fc.record({
        type: fc.constantFrom(...TYPES),
        props: fc.record({ id: reference, arn: reference, bucket: reference }, { requiredKeys: [] }),
    }),
    { maxLength: 30 },
) as unknown as fc.Arbitrary<PolicyResource[]>;

/** What `resource` is known by: the scan the rules did before the indexes. */
const names = (resource: PolicyResource, nameProperty: string) => [resource.props.id, resource.props.arn, resource.props[nameProperty]];
const isName = (value: unknown): value is string => typeof value === "string" && value !== "";

describe("stack rules' lookups", () => {
    it("find the resources of given types, in stack order", () => {
        fc.assert(
            fc.property(stack, fc.array(fc.subarray(TYPES, { minLength: 1 }), { minLength: 2, maxLength: 4 }), (resources, lists) => {
                // Several lists over one stack, each asked twice: the second answer comes from the index.
                for (const tokens of [...lists, ...lists]) {
                    assert.deepEqual(
                        ofTypes(resources, tokens),
                        resources.filter((r) => tokens.includes(r.type)),
                    );
                }
            }),
        );
    });

    it("find the candidates a reference names by id, ARN or name, and the links that name a target, as a scan does", () => {
        fc.assert(
            fc.property(stack, reference, (resources, ref) => {
                const scanned = isName(ref) ? resources.filter((r) => names(r, "bucket").includes(ref)) : [];
                assert.deepEqual(referencedBy(resources, ref, "bucket"), scanned);
                for (const target of resources) {
                    const linked = resources.filter((link) => isName(link.props.bucket) && names(target, "bucket").includes(link.props.bucket));
                    assert.deepEqual(linksTo(target, resources, "bucket", "bucket"), linked);
                }
            }),
        );
    });
});
