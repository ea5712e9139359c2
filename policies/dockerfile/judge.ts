// The Dockerfile rules over Dockerfiles, as the offline check's findings: each file is a subject
// (type "dockerfile", its URN "dockerfile:<file>") and each finding carries the file and line of the
// instruction it is about, so every output format places it.
import { at, propertyOf } from "../lib/report";
import type { CheckedResource, Violation } from "../offline";
import { parseDockerfile } from "./parse";
import { dockerfileRules } from "./rules";

/** The type of a Dockerfile among the check's subjects. */
export const DOCKERFILE_TYPE = "dockerfile";

export interface DockerfileText {
    /** The file as reports name it: relative to the repository (or the folder checked). */
    readonly file: string;
    readonly text: string;
}

export interface DockerfileJudgement {
    readonly subjects: readonly CheckedResource[];
    readonly violations: readonly Violation[];
}

export function judgeDockerfiles(files: readonly DockerfileText[]): DockerfileJudgement {
    const subjects = files.map(({ file }): CheckedResource => ({
        urn: `${DOCKERFILE_TYPE}:${file}`,
        type: DOCKERFILE_TYPE,
        name: file,
        parent: null,
        protect: false,
        inputs: {},
        outputs: {},
        source: { file, line: 1 },
    }));
    const violations: Violation[] = [];
    for (const rule of dockerfileRules)
        files.forEach(({ file, text }, i) => {
            rule.checkDockerfile(parseDockerfile(file, text), (line, message) => {
                // The line goes in the message too, after the instruction it names, for text and JSON.
                const property = propertyOf(message);
                const located = property ? at(property, `line ${line}: ${message.slice(property.length + 2)}`) : `line ${line}: ${message}`;
                violations.push({ policy: rule.name, enforcement: "mandatory", urn: subjects[i].urn, message: located, waived: null, source: { file, line } });
            });
        });
    return { subjects, violations };
}
