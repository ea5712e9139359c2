import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, validateTypes } from "../lib/values";
import type { Rule } from ".";

// The protocols SNS logs delivery status for (Amazon SNS developer guide, "Amazon SNS message delivery
// status", docs.aws.amazon.com/sns/latest/dg/sns-topic-attributes.html): HTTP/S, Firehose, Lambda,
// platform application endpoints and SQS; not e-mail or SMS. Each has a success and a failure role.
const PROTOCOLS = ["application", "firehose", "http", "lambda", "sqs"];
const FEEDBACK_ROLES = PROTOCOLS.flatMap((protocol) => [`${protocol}SuccessFeedbackRoleArn`, `${protocol}FailureFeedbackRoleArn`]);

export const snsDeliveryStatusLogging: Rule = {
    name: "sns-delivery-status-logging",
    description: "Checks that SNS topics log the delivery status of their messages to CloudWatch Logs for at least one protocol.",
    // SNS.2 (sns-controls.html#sns-2; Config rule sns-topic-message-delivery-notification-enabled) fails a
    // topic whose delivery status logging is off, whatever its subscriptions; FSBP and NIST.800-53.r5 AU-2, AU-12.
    controls: ["AWS FSBP SNS.2", "NIST 800-53 SNS.2"],
    severity: "medium",
    remediationSteps:
        "Set the `<protocol>FailureFeedbackRoleArn` (and `...SuccessFeedbackRoleArn`) of the aws.sns.Topic for the protocols it delivers to, to a role SNS may assume to write to CloudWatch Logs.",
    validateResource: validateTypes([aws.sns.Topic], (topic, _args, reportViolation) => {
        if (!FEEDBACK_ROLES.some((property) => isSet(topic[property])))
            reportViolation(
                at(
                    "deliveryStatusLogging",
                    `SNS topics must log message delivery status: none of ${PROTOCOLS.map((p) => `${p}FailureFeedbackRoleArn`).join(", ")} (nor a success role) is set.`,
                ),
            );
    }),
};
