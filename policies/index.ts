// The CrossGuard pack: `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`.
// It only assembles the rules (each accepting waivers in its config) and the waiver horizon; offline checks import ./rules,
// since constructing a PolicyPack serves it to the engine.
import { PolicyPack } from "@pulumi/policy";
import { DEFAULT_ENFORCEMENT, PACK_NAME, rules } from "./rules";
import { waiverHorizon, withWaivers } from "./waivers/pack";

new PolicyPack(PACK_NAME, {
    description: "Security rules of the osint-platform infrastructure for the docker (dev) and aws (staging, prod) stacks.",
    enforcementLevel: DEFAULT_ENFORCEMENT,
    // The horizon first: the rules read its config when they judge their waivers (policies/waivers/pack.ts).
    policies: [waiverHorizon, ...rules.map(withWaivers)],
});
