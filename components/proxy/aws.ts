// The AWS edge: an Application Load Balancer in the public subnets with the domain's ACM
// certificate (TLS 1.2+), HTTP answered with a redirect, access logs to an encrypted TLS-only
// bucket, and a WAFv2 web ACL (per-client rate limit plus AWS managed rule groups). Routes match
// the dev nginx: /healthz and /api/ to the backend, the rest to the frontend.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { mathAlarm, metricAlarm } from "../aws/alarms";
import { serviceDefinitions, HTTPS_PORT, HTTP_PORT } from "../service/catalog";
import { awsArgs, managedServiceRole, awsAttachment, awsPrefix, type LoadBalancerTarget, policyDocument } from "../aws/platform";
import { awsName, sharedNames } from "../aws/names";
import { encryptedLogGroup } from "../telemetry";
import type { ProxyArgs, ProxyEndpoint } from "./index";

/** TLS 1.3 and 1.2 only (AWS's recommended policy). */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** WAF counts requests per client over this window; the limit is rateLimitPerSecond times it. */
export const WAF_WINDOW_SECONDS = 60;
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesSQLiRuleSet",
] as const;
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/** Request headers WAF logs redacted: they carry credentials (bearer tokens, session cookies). */
export const WAF_REDACTED_HEADERS = ["authorization", "cookie"] as const;
export const BACKEND_PATHS = ["/healthz", "/api/*"];
/** The API takes request bodies above the Common rule set's 8 KB; the rest of the site does not. */
export const LARGE_BODY_PATH_PREFIX = "/api/";
/** The Common rule set's body-size rule: counted (it only labels), then blocked outside the API. */
export const BODY_SIZE_RULE = { name: "SizeRestrictions_BODY", label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } as const;
// Alarm thresholds: 5 % of requests failing, p95 over a second, any unhealthy target.
export const ERROR_RATE_ALARM_PERCENT = 5;
export const P95_LATENCY_ALARM_SECONDS = 1;
/** Days after which S3 discards the parts of a multipart upload never completed. */
export const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

const ACCOUNT_SUFFIX_LENGTH = 13;
const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

export function awsProxy(name: string, args: ProxyArgs, parent: pulumi.ComponentResource): ProxyEndpoint {
    const platform = awsAttachment(args.network, "osint:edge:ReverseProxy");
    const prefix = awsPrefix();
    const settings = awsArgs(args.aws, "osint:edge:ReverseProxy");
    const blueGreen = settings.deploymentStrategy === "blue-green";

    // ALB access logs accept SSE-S3 only (not KMS); the bucket refuses plain HTTP and public access.
    // Bucket names are global: the account id keeps this one ours.
    const logs = new aws.s3.Bucket(
        `${name}-access-logs`,
        {
            // "-" and the 12-digit account id keep their place at the end.
            bucket: pulumi.interpolate`${awsName("aws:s3/bucket:Bucket", "bucket", `${prefix}-alb-logs`, ACCOUNT_SUFFIX_LENGTH)}-${platform.accountId}`,
            forceDestroy: false,
        },
        { parent },
    );
    new aws.s3.BucketPublicAccessBlock(
        `${name}-access-logs`,
        { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent },
    );
    new aws.s3.BucketOwnershipControls(`${name}-access-logs`, { bucket: logs.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-access-logs`,
        { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { parent },
    );
    // Versioning keeps an overwritten or deleted log recoverable (FSBP S3.14) for the same retention.
    const versioning = new aws.s3.BucketVersioning(`${name}-access-logs`, { bucket: logs.id, versioningConfiguration: { status: "Enabled" } }, { parent });
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-access-logs`,
        {
            bucket: logs.id,
            rules: [
                {
                    id: "retention",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: settings.logRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: settings.logRetentionDays },
                    // An upload the load balancer never completes leaves parts stored unseen (Checkov CKV_AWS_300).
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
                },
            ],
        },
        // Versioning first, as terraform-provider-aws advises for a lifecycle with noncurrent-version rules.
        { parent, dependsOn: [versioning] },
    );
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent });
    const bucketPolicy = new aws.s3.BucketPolicy(
        `${name}-access-logs`,
        {
            bucket: logs.id,
            policy: policyDocument([
                {
                    Sid: "DenyPlainHttp",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [logs.arn, pulumi.interpolate`${logs.arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Sid: "LoadBalancerWritesLogs",
                    Effect: "Allow",
                    Principal: { AWS: elbAccount.arn },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${logs.arn}/alb/AWSLogs/${platform.accountId}/*`,
                },
            ]),
        },
        { parent },
    );

    const certificate = new aws.acm.Certificate(`${name}-certificate`, { domainName: args.domainName, validationMethod: "DNS" }, { parent });
    // Waits until the DNS validation record (README: prerequisites) has been published.
    const validated = new aws.acm.CertificateValidation(`${name}-certificate`, { certificateArn: certificate.arn }, { parent });

    const alb = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            name: sharedNames().loadBalancer,
            loadBalancerType: "application",
            internal: false,
            subnets: platform.subnetIds.public,
            securityGroups: [platform.securityGroupIds.alb],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: platform.protectData,
            accessLogs: { bucket: logs.id, prefix: "alb", enabled: true },
        },
        { parent, dependsOn: [bucketPolicy] },
    );
    new aws.lb.Listener(
        `${name}-http`,
        {
            loadBalancerArn: alb.arn,
            port: HTTP_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
        },
        { parent },
    );
    const https = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: alb.arn,
            port: HTTPS_PORT,
            protocol: "HTTPS",
            sslPolicy: SSL_POLICY,
            certificateArn: validated.certificateArn,
            defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "not found" } }],
        },
        { parent },
    );

    const topic = platform.telemetry.alarmTopicArn;
    const lb = { LoadBalancer: alb.arnSuffix };
    // ALB publishes its 5xx counts only when they are non-zero (Elastic Load Balancing, "CloudWatch
    // metrics for your Application Load Balancer": reporting criteria), so each is FILLed with 0:
    // otherwise one missing operand leaves the expression without a datapoint, which notBreaching
    // reads as OK. RequestCount stays unfilled: no requests, no rate.
    const errorRateAlarm = (id: string, description: string, errorMetrics: readonly string[], dimensions: Record<string, pulumi.Input<string>>) =>
        mathAlarm(
            id,
            {
                description,
                comparison: "GreaterThanThreshold",
                threshold: ERROR_RATE_ALARM_PERCENT,
                queries: [
                    {
                        id: "rate",
                        expression: `100 * (${errorMetrics.map((_, i) => `FILL(errors${i}, 0)`).join(" + ")}) / requests`,
                        label: "5xx rate (%)",
                        returnData: true,
                    },
                    ...[...errorMetrics.map((metricName, i) => [`errors${i}`, metricName] as const), ["requests", "RequestCount"] as const].map(
                        ([queryId, metricName]) => ({
                            id: queryId,
                            metric: { namespace: "AWS/ApplicationELB", metricName, dimensions, period: 300, stat: "Sum" },
                        }),
                    ),
                ],
            },
            topic,
            parent,
        );
    // The whole load balancer, its own 5xx included (no healthy target, a target timing out).
    errorRateAlarm(
        `${name}-5xx-rate`,
        `More than ${ERROR_RATE_ALARM_PERCENT}% of requests answered with 5xx (targets or the load balancer)`,
        ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"],
        lb,
    );
    metricAlarm(
        `${name}-p95-latency`,
        {
            description: `Target response time p95 above ${P95_LATENCY_ALARM_SECONDS}s`,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: lb,
            statistic: "p95",
            threshold: P95_LATENCY_ALARM_SECONDS,
            comparison: "GreaterThanThreshold",
        },
        topic,
        parent,
    );

    // ECS native blue/green: ECS shifts the production rule's weights between the two groups.
    const blueGreenRole = blueGreen
        ? managedServiceRole(`${name}-ecs-blue-green`, "ecs.amazonaws.com", "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers", parent)
        : undefined;
    const route = (service: "frontend" | "backend", priority: number, paths: string[]): LoadBalancerTarget => {
        const upstream = args[service];
        const group = (color: string) => {
            const targetGroup = new aws.lb.TargetGroup(
                `${name}-${service}-${color}`,
                {
                    port: upstream.port,
                    protocol: "HTTP",
                    targetType: "ip",
                    vpcId: platform.vpcId,
                    deregistrationDelay: 30,
                    healthCheck: { path: serviceDefinitions[service].healthPath, matcher: "200-399", interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
                },
                { parent },
            );
            // Per target group, so a deployment rolls back on its own service's errors only.
            const errorRate = errorRateAlarm(
                `${name}-${service}-${color}-5xx-rate`,
                `${service} (${color}): more than ${ERROR_RATE_ALARM_PERCENT}% of requests answered with 5xx by its targets`,
                ["HTTPCode_Target_5XX_Count"],
                { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix },
            );
            const unhealthy = metricAlarm(
                `${name}-${service}-${color}-unhealthy`,
                {
                    description: `${service} (${color}): a target failed its health check`,
                    namespace: "AWS/ApplicationELB",
                    metricName: "UnHealthyHostCount",
                    dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: targetGroup.arnSuffix },
                    statistic: "Maximum",
                    threshold: 0,
                    comparison: "GreaterThanThreshold",
                    periodSeconds: 60,
                },
                platform.telemetry.alarmTopicArn,
                parent,
            );
            return { targetGroup, alarms: [errorRate, unhealthy] };
        };
        const blueGroup = group("blue");
        const blue = blueGroup.targetGroup;
        const greenGroup = blueGreen ? group("green") : undefined;
        const green = greenGroup?.targetGroup;
        const groups = greenGroup ? [blueGroup, greenGroup] : [blueGroup];
        const rule = new aws.lb.ListenerRule(
            `${name}-${service}`,
            {
                listenerArn: https.arn,
                priority,
                conditions: [{ pathPattern: { values: paths } }],
                actions: [{ type: "forward", forward: { targetGroups: [{ arn: blue.arn, weight: 100 }, ...(green ? [{ arn: green.arn, weight: 0 }] : [])] } }],
            },
            // ECS owns the weights once it deploys blue/green.
            { parent, ignoreChanges: green ? ["actions"] : [] },
        );
        return {
            port: upstream.port,
            loadBalancerArnSuffix: alb.arnSuffix,
            targetGroupArn: blue.arn,
            targetGroupArnSuffixes: groups.map((g) => g.targetGroup.arnSuffix),
            listenerRule: rule,
            rollbackAlarmNames: groups.flatMap((g) => g.alarms.map((a) => a.name)),
            blueGreen:
                green && blueGreenRole ? { alternateTargetGroupArn: green.arn, productionListenerRule: rule.arn, roleArn: blueGreenRole.arn } : undefined,
        };
    };
    const targets = { backend: route("backend", 10, BACKEND_PATHS), frontend: route("frontend", 100, ["/*"]) };

    const acl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            name: awsName("aws:wafv2/webAcl:WebAcl", "name", prefix),
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            visibilityConfig: visibility(awsName("aws:wafv2/webAcl:WebAcl", "visibilityConfig.metricName", `${prefix}-waf`)),
            rules: [
                {
                    name: "rate-limit-per-client",
                    priority: 0,
                    action: { block: {} },
                    statement: {
                        rateBasedStatement: {
                            aggregateKeyType: "IP",
                            evaluationWindowSec: WAF_WINDOW_SECONDS,
                            limit: args.rateLimitPerSecond * WAF_WINDOW_SECONDS,
                        },
                    },
                    visibilityConfig: visibility("rate-limit-per-client"),
                },
                ...MANAGED_RULE_GROUPS.map((group, i) => ({
                    name: group,
                    priority: i + 1,
                    overrideAction: { none: {} },
                    statement: {
                        managedRuleGroupStatement: {
                            vendorName: "AWS",
                            name: group,
                            ruleActionOverrides:
                                group === "AWSManagedRulesCommonRuleSet" ? [{ name: BODY_SIZE_RULE.name, actionToUse: { count: {} } }] : undefined,
                        },
                    },
                    visibilityConfig: visibility(group),
                })),
                // AWS WAF developer guide, "Managed rule group rule action overrides" with label matching:
                // the body-size rule still blocks everywhere but the API's larger POSTs. Labels are visible
                // only to rules evaluated later, hence the priority after the managed groups.
                {
                    name: "body-size-outside-api",
                    priority: MANAGED_RULE_GROUPS.length + 1,
                    action: { block: {} },
                    statement: {
                        andStatement: {
                            statements: [
                                { labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_RULE.label } },
                                {
                                    notStatement: {
                                        statement: {
                                            byteMatchStatement: {
                                                fieldToMatch: { uriPath: {} },
                                                positionalConstraint: "STARTS_WITH",
                                                searchString: LARGE_BODY_PATH_PREFIX,
                                                textTransformations: [{ priority: 0, type: "NONE" }],
                                            },
                                        },
                                    },
                                },
                            ],
                        },
                    },
                    visibilityConfig: visibility("body-size-outside-api"),
                },
            ],
        },
        { parent },
    );
    new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: alb.arn, webAclArn: acl.arn }, { parent });
    // WAF.11: every request WAF evaluates is logged, to a group whose name WAF requires to start with
    // `aws-waf-logs-`, under the stack's log key and retention. Credentials never reach the log: WAF
    // redacts the headers named here (lower case, as the WAFv2 API requires for single headers).
    const wafLogs = encryptedLogGroup(`${name}-waf-logs`, `${WAF_LOG_GROUP_PREFIX}${prefix}`, platform.telemetry, parent);
    new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf`,
        {
            resourceArn: acl.arn,
            logDestinationConfigs: [wafLogs.arn],
            redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
        },
        { parent },
    );

    const dnsRecords = pulumi
        .all([certificate.domainValidationOptions, alb.dnsName])
        .apply(([validation, dnsName]) => [
            ...validation.map((v) => ({ name: v.resourceRecordName ?? "", type: v.resourceRecordType ?? "CNAME", value: v.resourceRecordValue ?? "" })),
            { name: args.domainName, type: "CNAME (or an alias A record)", value: dnsName },
        ]);
    return { url: pulumi.output(`https://${args.domainName}`), targets, dnsRecords };
}
