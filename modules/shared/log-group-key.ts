/**
 * A customer managed KMS key for one CloudWatch Logs log group: the account administers it through
 * IAM, and CloudWatch Logs in the log group's Region uses it only for that log group (CloudWatch
 * Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management Service": the
 * service principal logs.<region>.amazonaws.com, conditioned on the encryption context
 * kms:EncryptionContext:aws:logs:arn, the log group's ARN).
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

export interface LogGroupKeyProps {
  /** The log group's name: the key serves that log group only. */
  readonly logGroupName: string;
  /** The log group's Region. */
  readonly region: string;
}

/** The key; its ARN goes to the log group's kms_key_id. */
export function createLogGroupKey(scope: Construct, id: string, props: LogGroupKeyProps): KmsKey {
  const account = new DataAwsCallerIdentity(scope, `${id}-account`).accountId;
  const partition = new DataAwsPartition(scope, `${id}-partition`).partition;
  // Built from the name: the log group needs the key first.
  const logGroupArn = `arn:${partition}:logs:${props.region}:${account}:log-group:${props.logGroupName}`;
  const policy = new DataAwsIamPolicyDocument(scope, `${id}-policy`, {
    statement: [
      {
        // The default key policy's statement (KMS Developer Guide, "Default key policy").
        sid: "AccountAdministers",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${account}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "LogsUseForThisLogGroup",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [{ test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [logGroupArn] }],
      },
    ],
  });
  return new KmsKey(scope, id, {
    description: `CloudWatch Logs log group ${props.logGroupName}`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: policy.json,
  });
}
