// What the check's SARIF must satisfy, encoded here (the schema files are not copied into the
// repository; no npm package ships the OASIS 2.1.0 errata01 schema: @microsoft/jest-sarif 1.0.0-beta.0
// ships the earlier RTM.5 draft, whose region and uri definitions differ).
//
// 1. The OASIS SARIF 2.1.0 schema's constraints on every object and property this writer emits,
//    transcribed from oasis-tcs/sarif-spec sarif-2.1/schema/sarif-schema-2.1.0.json (errata01, commit
//    a560296ca8c9, 2024-05-02): required members, enums, formats (uri, uri-reference), minimums,
//    uniqueItems, and additionalProperties false as the schema sets it on each definition (narrowed to
//    the members this writer uses, so a misspelt member fails too).
// 2. GitHub's documented limits and requirements ("SARIF support for code scanning", docs.github.com):
//    at most 25,000 results and 25,000 rules per run, 20 runs per file, 20 tags per rule,
//    security-severity a number 0.0-10.0, a physical location on each result, a ruleId.
const string = { type: "string" } as const;
const uri = { type: "string", format: "uri" } as const;
const text = { type: "object", required: ["text"], additionalProperties: false, properties: { text: string, markdown: string } } as const;
const level = { type: "string", enum: ["none", "note", "warning", "error"] } as const;
const propertyBag = {
    type: "object",
    additionalProperties: true,
    properties: { tags: { type: "array", uniqueItems: true, maxItems: 20, items: string } },
} as const;

const artifactLocation = {
    type: "object",
    additionalProperties: false,
    required: ["uri", "uriBaseId"],
    properties: {
        // uri-reference, and (GitHub) relative to the checkout: no scheme, no leading "/", no "..".
        uri: { type: "string", format: "uri-reference", not: { pattern: "^(/|[A-Za-z][A-Za-z0-9+.-]*:|\\.\\.(/|$))|/\\.\\.(/|$)" } },
        uriBaseId: string,
        description: { type: "object", required: ["text"], additionalProperties: false, properties: { text: string } },
    },
} as const;

export const SARIF_CONSTRAINTS = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    required: ["version", "runs"],
    additionalProperties: false,
    properties: {
        $schema: uri,
        version: { type: "string", enum: ["2.1.0"] },
        runs: {
            type: "array",
            minItems: 1,
            maxItems: 20,
            items: {
                type: "object",
                required: ["tool", "results"],
                additionalProperties: false,
                properties: {
                    tool: {
                        type: "object",
                        required: ["driver"],
                        additionalProperties: false,
                        properties: {
                            driver: {
                                type: "object",
                                required: ["name", "version", "informationUri", "rules"],
                                additionalProperties: false,
                                properties: {
                                    name: string,
                                    version: string,
                                    informationUri: uri,
                                    rules: {
                                        type: "array",
                                        uniqueItems: true,
                                        maxItems: 25_000,
                                        items: {
                                            type: "object",
                                            required: ["id", "name", "shortDescription", "fullDescription", "helpUri", "help", "properties"],
                                            additionalProperties: false,
                                            properties: {
                                                id: string,
                                                name: string,
                                                shortDescription: text,
                                                fullDescription: text,
                                                helpUri: uri,
                                                help: text,
                                                defaultConfiguration: { type: "object", additionalProperties: false, properties: { level } },
                                                properties: {
                                                    ...propertyBag,
                                                    required: ["security-severity"],
                                                    properties: {
                                                        ...propertyBag.properties,
                                                        "security-severity": { type: "string", pattern: "^(10(\\.0)?|\\d(\\.\\d)?)$" },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    originalUriBaseIds: {
                        type: "object",
                        additionalProperties: { type: "object", additionalProperties: false, properties: artifactLocation.properties },
                    },
                    results: {
                        type: "array",
                        maxItems: 25_000,
                        items: {
                            type: "object",
                            required: ["ruleId", "ruleIndex", "message", "locations", "partialFingerprints"],
                            additionalProperties: false,
                            properties: {
                                ruleId: string,
                                ruleIndex: { type: "integer", minimum: -1 },
                                level,
                                message: { type: "object", required: ["text"], additionalProperties: false, properties: { text: string } },
                                locations: {
                                    type: "array",
                                    minItems: 1,
                                    maxItems: 1000,
                                    items: {
                                        type: "object",
                                        required: ["physicalLocation"],
                                        additionalProperties: false,
                                        properties: {
                                            physicalLocation: {
                                                type: "object",
                                                required: ["artifactLocation", "region"],
                                                additionalProperties: false,
                                                properties: {
                                                    artifactLocation,
                                                    region: {
                                                        type: "object",
                                                        required: ["startLine"],
                                                        additionalProperties: false,
                                                        properties: { startLine: { type: "integer", minimum: 1 } },
                                                    },
                                                },
                                            },
                                            logicalLocations: {
                                                type: "array",
                                                uniqueItems: true,
                                                items: {
                                                    type: "object",
                                                    additionalProperties: false,
                                                    properties: { name: string, fullyQualifiedName: string, kind: string },
                                                },
                                            },
                                        },
                                    },
                                },
                                partialFingerprints: { type: "object", minProperties: 1, additionalProperties: string },
                                suppressions: {
                                    type: "array",
                                    uniqueItems: true,
                                    items: {
                                        type: "object",
                                        required: ["kind"],
                                        additionalProperties: false,
                                        properties: {
                                            kind: { type: "string", enum: ["inSource", "external"] },
                                            status: { type: "string", enum: ["accepted", "underReview", "rejected"] },
                                            justification: string,
                                        },
                                    },
                                },
                                properties: propertyBag,
                            },
                        },
                    },
                    properties: propertyBag,
                },
            },
        },
    },
} as const;
