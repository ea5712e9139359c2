import { RUN_LABEL } from "../../../components/docker/labels";
import type { SemanticsRule } from "../rule";
import { containersOf } from "../docker-plan";

export const oneShotJobReruns: SemanticsRule = {
    name: "one-shot-job-reruns",
    description: "A one-shot job without a per-run trigger is never re-run after it failed: its exit code stays in state and the stack is wedged.",
    source: "kreuzwerker/terraform-provider-docker internal/provider/resource_docker_container_funcs.go: with attach and must_run false, a non-zero exit only sets exit_code",
    targets: ["docker"],
    check(plan) {
        return containersOf(plan)
            .filter((c) => c.inputs.attach === true)
            .flatMap((c) => {
                const labels = (c.inputs.labels ?? []) as { label: string; value: string }[];
                return labels.some((l) => l.label === RUN_LABEL && l.value !== "") ? [] : [`${c.name}: a one-shot job (attach) without the ${RUN_LABEL} label`];
            });
    },
    mutate(plan) {
        const job = containersOf(plan).find((c) => c.inputs.attach === true);
        if (job) job.inputs.labels = ((job.inputs.labels ?? []) as { label: string }[]).filter((l) => l.label !== RUN_LABEL);
    },
};
