/**
 * Kubernetes and Helm providers pointed at an EKS cluster, with the authentication the caller
 * chooses:
 * - `token` (default): a token from `data.aws_eks_cluster_auth`; works in Terraform Cloud, where
 *   there is no aws CLI;
 * - `exec`: `aws eks get-token` at plan and apply time, so the token never expires mid-run;
 * - `certificate`: an x.509 client certificate, for a local cluster cut off from IAM (seed 004).
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/cluster-access", ["@cdktf/provider-helm", "@cdktf/provider-kubernetes"]);
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export type ClusterAuth =
  | { readonly mode: "token" }
  | { readonly mode: "exec"; readonly region: string; readonly awsProfile?: string }
  | { readonly mode: "certificate"; readonly clientCertificatePem: string; readonly clientKeyPem: string };

export interface ClusterAccessProps {
  readonly clusterName: string;
  /**
   * A local cluster's ID. Local clusters accept only tokens issued for their ID (`aws eks get-token
   * --cluster-id`), not their name.
   * @default - an extended cluster (tokens by name)
   */
  readonly localClusterId?: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  readonly auth: ClusterAuth;
  /**
   * Also configure a Helm provider.
   * @default false
   */
  readonly helm?: boolean;
  /**
   * Alias of both providers, so they sit beside an app's own kubernetes and helm providers (two
   * unaliased providers of one type collide: "Duplicate provider configuration"). Constructs that
   * use them take them as props (`kubernetesProvider`, `helmProvider`).
   * @default - unaliased: the stack's default kubernetes and helm providers
   */
  readonly alias?: string;
}

interface Credentials {
  host: string;
  clusterCaCertificate: string;
  token?: string;
  clientCertificate?: string;
  clientKey?: string;
  exec?: { apiVersion: string; command: string; args: string[] };
}

export class ClusterAccess extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm?: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const credentials: Credentials = {
      host: props.endpoint,
      clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData),
    };
    switch (props.auth.mode) {
      case "token":
        credentials.token = new DataAwsEksClusterAuth(this, "token", { name: props.localClusterId ?? props.clusterName }).token;
        break;
      case "exec":
        credentials.exec = {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: [
            "eks",
            "get-token",
            ...(props.localClusterId !== undefined ? ["--cluster-id", props.localClusterId] : ["--cluster-name", props.clusterName]),
            "--region",
            props.auth.region,
            ...(props.auth.awsProfile ? ["--profile", props.auth.awsProfile] : []),
          ],
        };
        break;
      case "certificate":
        credentials.clientCertificate = props.auth.clientCertificatePem;
        credentials.clientKey = props.auth.clientKeyPem;
        break;
    }
    const { exec, ...rest } = credentials;
    this.kubernetes = new KubernetesProvider(this, "kubernetes", { ...rest, exec: exec ? [exec] : undefined, alias: props.alias });
    if (props.helm) {
      // helm 3.x: `kubernetes` is an attribute (an object), not a block.
      this.helm = new HelmProvider(this, "helm", { kubernetes: { ...rest, exec }, alias: props.alias });
    }
  }
}
