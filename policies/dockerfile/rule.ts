// A Dockerfile rule: the same metadata as the pack's CrossGuard rules (description, remediation,
// controls of the registry, severity), judging a Dockerfile instead of a resource. Dockerfiles are
// files, not resources, so the offline check runs these (policies/dockerfile/judge.ts); each finding
// names the file and the line of the instruction.
import type { RuleInfo } from "../rules";
import type { Dockerfile } from "./parse";

export type DockerfileRule = RuleInfo & {
    readonly checkDockerfile: (dockerfile: Dockerfile, report: (line: number, message: string) => void) => void;
};
