/**
 * VPC flow logs, to CloudWatch Logs (a log group with retention, and the delivery role the service
 * assumes) or to an S3 bucket (VPC User Guide, "Publish flow logs").
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { createLogGroupKey } from "../shared/log-group-key";
import { iamRoleArguments, IamRoleOptions, tagResources } from "../shared/resource-options";

export type FlowLogDestination =
  | {
      readonly kind: "cloudwatch";
      /** Retention of the log group, in days (a value CloudWatch Logs accepts). */
      readonly retentionDays: number;
      /** Name of the delivery role. */
      readonly roleName: string;
      /**
       * The Region, for the log group's own KMS key (logs.<region>.amazonaws.com may use it for this
       * log group only).
       * @default - no key: CloudWatch Logs' own encryption
       */
      readonly keyRegion?: string;
    }
  | { readonly kind: "s3"; readonly bucketArn: string };

export interface FlowLogsProps {
  readonly vpcId: string;
  /** Names the log group `/aws/vpc/flow-logs/<name>` and tags. */
  readonly name: string;
  readonly destination: FlowLogDestination;
  /** ALL, ACCEPT or REJECT. @default "ALL" */
  readonly trafficType?: string;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of every IAM role the construct creates.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

export class FlowLogs extends Construct {
  readonly flowLogId: string;
  /** The log group's name; undefined for S3. */
  readonly logGroupName?: string;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const trafficType = props.trafficType ?? "ALL";
    if (props.destination.kind === "s3") {
      this.flowLogId = new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType,
        logDestinationType: "s3",
        logDestination: props.destination.bucketArn,
        tags: { Name: props.name },
      }).id;
      return;
    }
    const logGroupName = `/aws/vpc/flow-logs/${props.name}`;
    const { keyRegion } = props.destination;
    const key = keyRegion === undefined ? undefined : createLogGroupKey(this, "log-group-key", { logGroupName, region: keyRegion });
    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: props.destination.retentionDays,
      kmsKeyId: key?.arn,
    });
    // The service assumes the role only for flow logs of this account and Region: AWS recommends
    // aws:SourceAccount and aws:SourceArn against the confused deputy, with a wildcard for the
    // flow log ID, unknown until the flow log exists (VPC User Guide, "IAM role for publishing flow
    // logs to CloudWatch Logs"); the Region is a wildcard too, the account pins the source.
    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition.partition}:ec2:*:${account.accountId}:vpc-flow-log/*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", { name: props.destination.roleName, assumeRolePolicy: trust.json, ...iamRoleArguments(props.iamRoleOptions) });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        {
          sid: "WriteTheLogGroup",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
        {
          // AWS authorizes DescribeLogGroups only on "*" (Service Authorization Reference, CloudWatch
          // Logs: no resource type), so a grant on the log group never matched (VPC User Guide, "IAM
          // role for publishing flow logs to CloudWatch Logs", lists it with Resource "*").
          sid: "ListLogGroups",
          effect: "Allow",
          actions: ["logs:DescribeLogGroups"],
          resources: ["*"],
        },
      ],
    });
    new IamRolePolicy(this, "policy", { name: props.destination.roleName, role: role.name, policy: permissions.json });
    this.flowLogId = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: { Name: props.name },
    }).id;
    this.logGroupName = logGroup.name;
  }
}
