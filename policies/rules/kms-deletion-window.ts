import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { numberOf } from "../lib/values";
import type { Rule } from ".";

// KMS deletes a key only after its waiting period (7 to 30 days), during which the deletion can be
// cancelled (KMS developer guide, "Deleting AWS KMS keys"); unset, the period is 30 days.
const LONGEST = 30;

export const kmsDeletionWindow: Rule = {
    name: "kms-deletion-window",
    description:
        "Checks that deleting a KMS key waits the longest period (30 days), so an unintended deletion can be cancelled before the data it encrypts is lost.",
    controls: ["AWS FSBP KMS.3"],
    severity: "high",
    remediationSteps: "Leave `deletionWindowInDays` unset or set it to 30 on the aws.kms.Key.",
    validateResource: validateSetting([aws.kms.Key], {
        property: "deletionWindowInDays",
        requirement: `Deleting a KMS key must wait ${LONGEST} days`,
        holds: (days) => days === undefined || numberOf(days) === LONGEST,
    }),
};
