// Each component picks its platform implementation from the stack's target through this table type,
// so adding a platform is a compile error until every component implements it.
import type * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";

export type Implementation<Args, Result> = (name: string, args: Args, parent: pulumi.ComponentResource) => Result;
export type Implementations<Args, Result> = Readonly<Record<Target, Implementation<Args, Result>>>;
