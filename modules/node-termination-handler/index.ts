/**
 * The AWS Node Termination Handler in queue mode: it reads the workers' SQS queue and drains a node
 * before its ASG terminates it, then completes the lifecycle hook. It only drains instances that
 * carry the managed tag.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { spreadAcross } from "../shared/topology";

export const NODE_TERMINATION_HANDLER_CHART = {
  name: "aws-node-termination-handler",
  repository: "https://aws.github.io/eks-charts",
  version: "0.27.6",
} as const;

export interface NodeTerminationHandlerProps {
  readonly region: string;
  readonly queueUrl: string;
  /** The tag the workers put on every managed instance. */
  readonly managedTag: string;
  /** IRSA role (extended clusters); omit to use the node instance profile. */
  readonly roleArn?: string;
  /** Default: 2. */
  readonly replicas?: number;
  /** Node label whose values tell Outposts apart, for spreading replicas. */
  readonly outpostTopologyKey: string;
  readonly helmProvider?: TerraformProvider;
}

export class NodeTerminationHandler extends Construct {
  readonly release: Release;
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: NodeTerminationHandlerProps) {
    super(scope, id);
    this.values = {
      awsRegion: props.region,
      enableSqsTerminationDraining: true,
      queueURL: props.queueUrl,
      checkTagBeforeDraining: true,
      managedTag: props.managedTag,
      replicas: props.replicas ?? 2,
      serviceAccount: { create: true, name: NODE_TERMINATION_HANDLER_CHART.name, annotations: props.roleArn ? { "eks.amazonaws.com/role-arn": props.roleArn } : {} },
      topologySpreadConstraints: [spreadAcross(props.outpostTopologyKey, { "app.kubernetes.io/name": NODE_TERMINATION_HANDLER_CHART.name })],
    };
    this.release = new Release(this, "release", {
      name: NODE_TERMINATION_HANDLER_CHART.name,
      repository: NODE_TERMINATION_HANDLER_CHART.repository,
      chart: NODE_TERMINATION_HANDLER_CHART.name,
      version: NODE_TERMINATION_HANDLER_CHART.version,
      namespace: "kube-system",
      values: [stringify(this.values)],
      provider: props.helmProvider,
    });
  }
}
