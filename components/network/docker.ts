import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkArgs, NetworkAttachment } from "./index";

export function dockerNetwork(name: string, _args: NetworkArgs, parent: pulumi.ComponentResource): NetworkAttachment {
    const prefix = `${pulumi.getProject()}-${pulumi.getStack()}`;
    // No route out of the internal network: services reach the outside only through the proxy.
    const internal = new docker.Network(`${name}-internal`, { name: `${prefix}-internal`, driver: "bridge", internal: true }, { parent });
    const edge = new docker.Network(`${name}-edge`, { name: `${prefix}-edge`, driver: "bridge", internal: false }, { parent });
    // Outbound only (nothing published on it): the scraper must reach the sites it researches.
    const egress = new docker.Network(`${name}-egress`, { name: `${prefix}-egress`, driver: "bridge", internal: false }, { parent });
    return { platform: "docker", docker: { internal, edge, egress } };
}
