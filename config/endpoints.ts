/**
 * Which interface VPC endpoints the network stack creates, decided here for the stack and the quota
 * rules alike.
 */
import { clusterArchitectureOfInput } from "./cluster-architecture";

/**
 * Interface endpoints a private cluster needs (EKS User Guide, "private cluster requirements" and
 * "local cluster VPC requirements"): node bootstrap and SSM, image pulls, logs and STS.
 */
export const BASE_INTERFACE_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages", "ec2", "secretsmanager", "logs", "sts", "ecr.api", "ecr.dkr"] as const;

/**
 * Endpoints for the add-ons: the Load Balancer Controller (elasticloadbalancing), the Node
 * Termination Handler in queue mode (autoscaling for lifecycle actions, sqs for its queue).
 */
export const ADDON_INTERFACE_ENDPOINTS = ["elasticloadbalancing", "autoscaling", "sqs"] as const;

/** The interface endpoint services for a blueprint, in a stable order (before the existing ones are left out). */
export function interfaceEndpointServicesOf(variant: unknown, instanceStore: unknown, extraServices: readonly string[]): string[] {
  // Extended clusters' nodes and controllers call the EKS API in the Region; a local cluster's
  // API runs on the Outpost and needs no eks endpoint.
  const eks = clusterArchitectureOfInput(variant, instanceStore)?.controlPlaneOnOutpost ? [] : ["eks"];
  return [...new Set([...BASE_INTERFACE_ENDPOINTS, ...ADDON_INTERFACE_ENDPOINTS, ...eks, ...extraServices])];
}
