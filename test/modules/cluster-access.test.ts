/**
 * ClusterAccess: Kubernetes (and optionally Helm) providers pointed at a cluster, authenticated by
 * a data.aws_eks_cluster_auth token, `aws eks get-token`, or a client certificate.
 */
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { ClusterAccess, ClusterAccessProps } from "../../modules/cluster-access";

const base: Omit<ClusterAccessProps, "auth"> = {
  clusterName: "edge",
  endpoint: "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com",
  certificateAuthorityData: "Q0FEQVRB",
};

function synth(props: ClusterAccessProps): { access: ClusterAccess; synthesized: string; json: any } {
  let access!: ClusterAccess;
  const synthesized = Testing.synthScope((scope) => {
    access = new ClusterAccess(scope, "access", props);
  });
  return { access, synthesized, json: JSON.parse(synthesized) };
}

const CA = '${base64decode("Q0FEQVRB")}';

describe("ClusterAccess: token", () => {
  it("authenticates with a data.aws_eks_cluster_auth token for the cluster name, and has no Helm provider by default", () => {
    const { access, synthesized, json } = synth({ ...base, auth: { mode: "token" } });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsEksClusterAuth, { name: "edge" });
    const authId = Object.keys(json.data.aws_eks_cluster_auth)[0];
    expect(synthesized).toHaveProviderWithProperties(KubernetesProvider, {
      host: base.endpoint,
      cluster_ca_certificate: CA,
      token: `\${data.aws_eks_cluster_auth.${authId}.token}`,
    });
    const [provider] = json.provider.kubernetes;
    expect(provider.exec).toBeUndefined();
    expect(provider.client_certificate).toBeUndefined();
    expect(json.provider.helm).toBeUndefined();
    expect(access.helm).toBeUndefined();
  });

  it("asks for a local cluster's token by its ID", () => {
    const { synthesized } = synth({ ...base, localClusterId: "0123abcd-local", auth: { mode: "token" } });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsEksClusterAuth, { name: "0123abcd-local" });
  });
});

describe("ClusterAccess: exec", () => {
  it("runs aws eks get-token by cluster name, in the region and profile given, for Kubernetes and Helm", () => {
    const { access, synthesized, json } = synth({ ...base, auth: { mode: "exec", region: "us-west-2", awsProfile: "edge-admin" }, helm: true });
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "edge", "--region", "us-west-2", "--profile", "edge-admin"],
    };
    // The Kubernetes provider takes exec as a block (a list), Helm 3 as an attribute (an object).
    expect(synthesized).toHaveProviderWithProperties(KubernetesProvider, { host: base.endpoint, cluster_ca_certificate: CA, exec: [exec] });
    expect(synthesized).toHaveProviderWithProperties(HelmProvider, { kubernetes: { host: base.endpoint, cluster_ca_certificate: CA, exec } });
    expect(json.data).toBeUndefined();
    expect(access.helm).toBeDefined();
  });

  it("asks for a local cluster's token by --cluster-id, without a profile when none is given", () => {
    const { json } = synth({ ...base, localClusterId: "0123abcd-local", auth: { mode: "exec", region: "us-west-2" } });
    expect(json.provider.kubernetes[0].exec[0].args).toEqual(["eks", "get-token", "--cluster-id", "0123abcd-local", "--region", "us-west-2"]);
  });
});

describe("ClusterAccess: certificate", () => {
  it("authenticates with the client certificate and key, with no token or exec", () => {
    const { synthesized, json } = synth({
      ...base,
      auth: { mode: "certificate", clientCertificatePem: "-----BEGIN CERTIFICATE-----", clientKeyPem: "-----BEGIN EC PRIVATE KEY-----" },
      helm: true,
    });
    expect(synthesized).toHaveProviderWithProperties(KubernetesProvider, {
      host: base.endpoint,
      cluster_ca_certificate: CA,
      client_certificate: "-----BEGIN CERTIFICATE-----",
      client_key: "-----BEGIN EC PRIVATE KEY-----",
    });
    expect(synthesized).toHaveProviderWithProperties(HelmProvider, {
      kubernetes: {
        host: base.endpoint,
        cluster_ca_certificate: CA,
        client_certificate: "-----BEGIN CERTIFICATE-----",
        client_key: "-----BEGIN EC PRIVATE KEY-----",
      },
    });
    const [provider] = json.provider.kubernetes;
    expect(provider.token).toBeUndefined();
    expect(provider.exec).toBeUndefined();
    expect(json.data).toBeUndefined();
  });
});

describe("ClusterAccess: alias", () => {
  it("aliases both providers when asked, and neither by default", () => {
    const aliased = synth({ ...base, auth: { mode: "token" }, helm: true, alias: "edge" });
    expect(aliased.synthesized).toHaveProviderWithProperties(KubernetesProvider, { alias: "edge", host: base.endpoint });
    expect(aliased.synthesized).toHaveProviderWithProperties(HelmProvider, { alias: "edge" });
    const plain = synth({ ...base, auth: { mode: "token" }, helm: true }).json;
    expect(plain.provider.kubernetes[0].alias).toBeUndefined();
    expect(plain.provider.helm[0].alias).toBeUndefined();
  });
});
