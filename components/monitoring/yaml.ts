// The monitoring configs as YAML, written by js-yaml: @pulumi/pulumi loads it anyway, so a plan pays
// nothing more for it. Long lines (PromQL expressions) are never folded.
import { dump } from "js-yaml";

export function toYaml(value: unknown): string {
    return dump(value, { lineWidth: -1, noRefs: true });
}
