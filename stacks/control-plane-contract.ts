/**
 * The control-plane stack's outputs: fixed names, documented once here, and the typed reader the
 * workers and addons stacks use.
 */
import { Construct } from "constructs";
import { readRemoteState, StateBackend } from "../modules/state-backend";
import { OutputSpec } from "./blueprint-stack";

export const CONTROL_PLANE_OUTPUTS = {
  clusterName: { name: "cluster_name", description: "Name of the EKS cluster." },
  clusterId: { name: "cluster_id", description: "ID of a local cluster (what EBS-backed local clusters' tokens and nodeadm's cluster.id name); empty for extended clusters." },
  clusterArn: { name: "cluster_arn", description: "ARN of the EKS cluster." },
  clusterEndpoint: { name: "cluster_endpoint", description: "Kubernetes API endpoint URL." },
  clusterEndpointHost: {
    name: "cluster_endpoint_host",
    description: "The API endpoint's host name, for hosts entries while Route 53 is out of reach (npx outposts-eks disconnect-kit --config <blueprint>).",
  },
  clusterCertificateAuthorityData: {
    name: "cluster_certificate_authority_data",
    description: "Base64 PEM of the cluster certificate authority.",
  },
  clusterSecurityGroupId: { name: "cluster_security_group_id", description: "The security group EKS created for the cluster." },
  serviceIpv4Cidr: { name: "service_ipv4_cidr", description: "Kubernetes service IPv4 CIDR." },
  authenticationMode: { name: "authentication_mode", description: "API_AND_CONFIG_MAP (extended) or CONFIG_MAP (local)." },
  kubernetesVersion: { name: "kubernetes_version", description: "Kubernetes minor version." },
  clusterRoleArn: { name: "cluster_role_arn", description: "ARN of the cluster IAM role." },
  oidcProviderArn: { name: "oidc_provider_arn", description: "IAM OIDC provider ARN for IRSA; empty for local clusters." },
  oidcProviderUrl: { name: "oidc_provider_url", description: "OIDC issuer without https://, for IRSA trust policies; empty for local clusters." },
} as const satisfies Record<string, OutputSpec>;

export type ControlPlaneOutputs = { readonly [K in keyof typeof CONTROL_PLANE_OUTPUTS]: string };

/** Reads the control-plane outputs through the reader matching its backend (terraform_remote_state or tfe_outputs). */
export function readControlPlaneOutputs(scope: Construct, id: string, backend: StateBackend): ControlPlaneOutputs {
  const state = readRemoteState(scope, id, backend, "control-plane");
  const entries = Object.entries(CONTROL_PLANE_OUTPUTS).map(([key, spec]) => [key, state.getString(spec)]);
  return Object.fromEntries(entries) as ControlPlaneOutputs;
}
