/**
 * The workers stack's outputs: fixed names, documented once here, and the typed reader the addons
 * stack uses.
 */
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { readRemoteState, StateBackend } from "../modules/state-backend";
import { OutputSpec } from "./blueprint-stack";

export const WORKERS_OUTPUTS = {
  nodeRoleArn: { name: "node_role_arn", description: "ARN of the node IAM role." },
  nodeRoleName: { name: "node_role_name", description: "Name of the node IAM role." },
  nodeInstanceProfileArn: { name: "node_instance_profile_arn", description: "ARN of the node instance profile." },
  nodeSecurityGroupId: { name: "node_security_group_id", description: "Security group shared by all nodes." },
  autoScalingGroupNames: { name: "autoscaling_group_names", description: "Auto Scaling group name by node group." },
  placementGroupNames: { name: "placement_group_names", description: "Node spread placement group by Outpost." },
  nthQueueUrl: { name: "nth_queue_url", description: "URL of the Node Termination Handler queue." },
  nthQueueArn: { name: "nth_queue_arn", description: "ARN of the Node Termination Handler queue." },
  nthRoleArn: { name: "nth_role_arn", description: "IRSA role of the Node Termination Handler; empty on local clusters (node role)." },
} as const satisfies Record<string, OutputSpec>;

export interface WorkersOutputs {
  readonly nodeRoleArn: string;
  readonly nodeRoleName: string;
  readonly nodeInstanceProfileArn: string;
  readonly nodeSecurityGroupId: string;
  readonly nthQueueUrl: string;
  readonly nthQueueArn: string;
  readonly nthRoleArn: string;
  /** Auto Scaling group name of a node group. */
  autoScalingGroupName(nodeGroup: string): string;
}

export function readWorkersOutputs(scope: Construct, id: string, backend: StateBackend): WorkersOutputs {
  const state = readRemoteState(scope, id, backend, "workers");
  const o = WORKERS_OUTPUTS;
  return {
    nodeRoleArn: state.getString(o.nodeRoleArn),
    nodeRoleName: state.getString(o.nodeRoleName),
    nodeInstanceProfileArn: state.getString(o.nodeInstanceProfileArn),
    nodeSecurityGroupId: state.getString(o.nodeSecurityGroupId),
    nthQueueUrl: state.getString(o.nthQueueUrl),
    nthQueueArn: state.getString(o.nthQueueArn),
    nthRoleArn: state.getString(o.nthRoleArn),
    autoScalingGroupName: (nodeGroup) => Token.asString(Fn.lookup(state.get(o.autoScalingGroupNames), nodeGroup)),
  };
}
