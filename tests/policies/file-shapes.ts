// Resources written the way the Pulumi CLI writes them, after Pulumi's own types
// (pulumi/pulumi sdk/go/common/apitype: core.go ResourceV3 and DeploymentV3 for `pulumi stack export`,
// and the engine's preview steps, `{"steps": [{"op", "urn", "newState": ResourceV3}]}`).
import type { Fixture } from "./fixtures";

const STACK = "test";
const PROJECT = "osint-platform";

export function urnOf(fixture: Fixture): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${fixture.type}::${fixture.name}`;
}

const idOf = (fixture: Fixture) => (typeof fixture.outputs?.id === "string" ? fixture.outputs.id : `${fixture.name}-id`);

/** A ResourceV3 as `pulumi stack export` writes it after `pulumi up`: id, inputs and outputs. */
function resourceV3(fixture: Fixture): Record<string, unknown> {
    return {
        urn: urnOf(fixture),
        custom: true,
        id: idOf(fixture),
        type: fixture.type,
        inputs: fixture.inputs,
        outputs: { ...fixture.inputs, ...fixture.outputs, id: idOf(fixture) },
        protect: fixture.protect ?? false,
        provider: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:${fixture.type.split(":")[0]}::default::provider-id`,
    };
}

/** `pulumi stack export` (DeploymentV3), with the root stack resource, which has no inputs. */
export function asStackExport(fixtures: readonly Fixture[]): string {
    const stack = { urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`, custom: false, type: "pulumi:pulumi:Stack" };
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: "2026-11-29T00:00:00Z", magic: "", version: "v3.200.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:x" } },
            // Read by the check as the inputs-less resource it is; these fixtures always carry inputs otherwise.
            resources: [{ ...stack, inputs: {} }, ...fixtures.map(resourceV3)],
        },
    });
}

/** `pulumi preview --json` of an update: each resource's new state with its inputs, before any new outputs. */
export function asPreview(fixtures: readonly Fixture[]): string {
    return JSON.stringify({
        config: {},
        steps: fixtures.map((fixture) => ({
            op: "update",
            urn: urnOf(fixture),
            provider: "",
            newState: { ...resourceV3(fixture), outputs: {} },
            oldState: resourceV3(fixture),
        })),
        diagnostics: [],
        changeSummary: { update: fixtures.length },
    });
}
