/**
 * BreakGlassAccess: an ECDSA key and CSR, signed by the cluster as a kube-apiserver client, bound
 * to cluster-admin; the expiry read back from the certificate with a check block that warns before
 * it; and a kubeconfig that authenticates with the certificate.
 */
import { CertificateSigningRequestV1 } from "@cdktf/provider-kubernetes/lib/certificate-signing-request-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { CertRequest } from "@cdktf/provider-tls/lib/cert-request";
import { DataTlsCertificate } from "@cdktf/provider-tls/lib/data-tls-certificate";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { TerraformOutput, TerraformProvider, Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { Construct } from "constructs";
import { parse } from "yaml";
import { BreakGlassAccess, BreakGlassAccessProps, CLIENT_SIGNER } from "../../modules/break-glass-access";

const base: BreakGlassAccessProps = {
  clusterName: "edge-local",
  endpoint: "https://10.20.64.10",
  certificateAuthorityData: "Q0FEQVRB",
  userName: "break-glass",
  validityDays: 365,
  warningDays: 30,
};

function synth(props: Omit<BreakGlassAccessProps, "kubernetesProvider">, withProvider = false): { synthesized: string; json: any } {
  const synthesized = Testing.synthScope((scope: Construct) => {
    let kubernetesProvider: TerraformProvider | undefined;
    if (withProvider) kubernetesProvider = new KubernetesProvider(scope, "disconnected", { alias: "disconnected", host: props.endpoint });
    const access = new BreakGlassAccess(scope, "break-glass", { ...props, kubernetesProvider });
    new TerraformOutput(scope, "kubeconfig", { value: access.kubeconfig, sensitive: true });
    new TerraformOutput(scope, "expiry", { value: access.expiry });
  });
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("BreakGlassAccess", () => {
  const { synthesized, json } = synth(base);
  const keyId = Object.keys(json.resource.tls_private_key)[0];
  const csrId = Object.keys(json.resource.kubernetes_certificate_signing_request_v1)[0];

  it("makes an ECDSA P-256 key and a CSR whose common name is the user, with no organization", () => {
    expect(synthesized).toHaveResourceWithProperties(PrivateKey, { algorithm: "ECDSA", ecdsa_curve: "P256" });
    expect(synthesized).toHaveResourceWithProperties(CertRequest, {
      private_key_pem: `\${tls_private_key.${keyId}.private_key_pem}`,
      subject: [{ common_name: "break-glass" }],
    });
    const [subject] = (Object.values(json.resource.tls_cert_request)[0] as any).subject;
    expect(subject.organization).toBeUndefined();
  });

  it("has the cluster sign it as a kube-apiserver client for the days asked, auto-approved", () => {
    const requestId = Object.keys(json.resource.tls_cert_request)[0];
    expect(CLIENT_SIGNER).toBe("kubernetes.io/kube-apiserver-client");
    expect(synthesized).toHaveResourceWithProperties(CertificateSigningRequestV1, {
      metadata: { name: "break-glass" },
      spec: {
        request: `\${tls_cert_request.${requestId}.cert_request_pem}`,
        signer_name: "kubernetes.io/kube-apiserver-client",
        usages: ["client auth"],
        expiration_seconds: 365 * 24 * 3600,
      },
      auto_approve: true,
    });
  });

  it("binds the user to cluster-admin", () => {
    expect(synthesized).toHaveResourceWithProperties(ClusterRoleBindingV1, {
      metadata: { name: "break-glass-cluster-admin" },
      role_ref: { api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subject: [{ kind: "User", name: "break-glass", api_group: "rbac.authorization.k8s.io" }],
    });
  });

  it("reads the expiry from the signed certificate itself", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataTlsCertificate, {
      content: `\${kubernetes_certificate_signing_request_v1.${csrId}.certificate}`,
    });
    const certificateId = Object.keys(json.data.tls_certificate)[0];
    expect(json.output.expiry.value).toBe(`\${data.tls_certificate.${certificateId}.certificates[0].not_after}`);
  });

  it("warns in every plan from warningDays before the expiry", () => {
    const certificateId = Object.keys(json.data.tls_certificate)[0];
    const [check] = Object.values(json.check) as any[];
    expect(check.assert).toHaveLength(1);
    const [assertion] = check.assert;
    expect(assertion.condition).toBe(
      `\${(timecmp(plantimestamp(), timeadd(data.tls_certificate.${certificateId}.certificates[0].not_after, "-720h")) == -1)}`,
    );
    expect(assertion.error_message).toContain("The break-glass client certificate of break-glass expires at");
    expect(assertion.error_message).toContain("(within 30 days)");
  });

  it("returns a kubeconfig that authenticates with the certificate and key", () => {
    const kubeconfig = parse(json.output.kubeconfig.value);
    expect(json.output.kubeconfig.sensitive).toBe(true);
    expect(kubeconfig.clusters).toEqual([{ name: "edge-local", cluster: { server: "https://10.20.64.10", "certificate-authority-data": "Q0FEQVRB" } }]);
    expect(kubeconfig.users).toEqual([
      {
        name: "break-glass",
        user: {
          "client-certificate-data": `\${base64encode(kubernetes_certificate_signing_request_v1.${csrId}.certificate)}`,
          "client-key-data": `\${base64encode(tls_private_key.${keyId}.private_key_pem)}`,
        },
      },
    ]);
    expect(kubeconfig.contexts).toEqual([{ name: "break-glass@edge-local", context: { cluster: "edge-local", user: "break-glass" } }]);
    expect(kubeconfig["current-context"]).toBe("break-glass@edge-local");
  });

  it("uses the default Kubernetes provider unless one is given", () => {
    const csr = json.resource.kubernetes_certificate_signing_request_v1[csrId];
    expect(csr.provider).toBeUndefined();
  });
});

describe("BreakGlassAccess options", () => {
  it("requests the validity given and warns from the days given", () => {
    const { synthesized, json } = synth({ ...base, validityDays: 90, warningDays: 7 });
    expect(synthesized).toHaveResourceWithProperties(CertificateSigningRequestV1, {
      spec: expect.objectContaining({ expiration_seconds: 90 * 24 * 3600 }),
    });
    const [check] = Object.values(json.check) as any[];
    expect(check.assert[0].condition).toContain('"-168h"');
  });

  it("signs and binds through the Kubernetes provider given", () => {
    const { synthesized } = synth(base, true);
    expect(synthesized).toHaveResourceWithProperties(CertificateSigningRequestV1, { provider: "kubernetes.disconnected" });
    expect(synthesized).toHaveResourceWithProperties(ClusterRoleBindingV1, { provider: "kubernetes.disconnected" });
  });
});
