// The shape most resource rules share: one property of one resource type (and its deprecated aliases)
// must hold a safe value. The finding names the property and the value found, as every rule's does.
import type { ResourceValidation } from "@pulumi/policy";
import { at } from "./report";
import type { TypeToken } from "./resource-types";
import { type Props, shown, validateTypes } from "./values";

export interface Setting {
    /** The property judged (a top-level input, or a dotted path read by `value`). */
    readonly property: string;
    /** What the property must be, as the finding states it ("Application load balancers must ..."). */
    readonly requirement: string;
    /** Whether the value found is safe; `props` are the resource's other inputs. */
    readonly holds: (value: unknown, props: Props) => boolean;
    /** The value judged (default: the top-level input named `property`). */
    readonly value?: (props: Props) => unknown;
    /** Whether the resource is one the rule judges at all (default: every resource of the types). */
    readonly applies?: (props: Props) => boolean;
}

/** A validation per type of `types` reporting the setting's property whenever it does not hold. */
export function validateSetting(types: readonly TypeToken[], setting: Setting): ResourceValidation[] {
    return validateTypes(types, (props, _args, reportViolation) => {
        if (setting.applies && !setting.applies(props)) return;
        const value = setting.value ? setting.value(props) : props[setting.property];
        if (!setting.holds(value, props)) reportViolation(at(setting.property, `${setting.requirement}: ${setting.property} is ${shown(value)}.`));
    });
}
