// Every Dockerfile rule: the offline check runs them over the Dockerfiles the dev plan builds
// (check --stack dev) or a folder's (check --dockerfiles). HEALTHCHECK is not required (CIS Docker
// 4.6, Checkov CKV_DOCKER_2): the orchestrator sets each container's health check, and one image
// serves several services on different ports (docs/policies.md).
import { withControls } from "../../rules";
import type { DockerfileRule } from "../rule";
import { dockerfileNoAdd } from "./dockerfile-no-add";
import { dockerfileNonRootUser } from "./dockerfile-non-root-user";
import { dockerfileNoSecrets } from "./dockerfile-no-secrets";
import { dockerfilePinnedBase } from "./dockerfile-pinned-base";

export const dockerfileRules: readonly DockerfileRule[] = [dockerfilePinnedBase, dockerfileNonRootUser, dockerfileNoAdd, dockerfileNoSecrets].map(withControls);
