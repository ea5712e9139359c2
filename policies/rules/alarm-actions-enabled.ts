import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const alarmActionsEnabled: Rule = {
    name: "alarm-actions-enabled",
    description: "Checks that CloudWatch alarms have their actions enabled, so an alarm that fires notifies someone.",
    controls: ["Checkov CKV_AWS_319"],
    severity: "low",
    remediationSteps: "Leave `actionsEnabled` unset or set it to true on the aws.cloudwatch.MetricAlarm.",
    validateResource: validateSetting([aws.cloudwatch.MetricAlarm], {
        property: "actionsEnabled",
        requirement: "CloudWatch alarms must have their actions enabled",
        // Unset, actions are enabled.
        holds: (enabled) => enabled !== false,
    }),
};
