/**
 * A break-glass cluster admin for a local cluster cut off from the Region (seed 004): while IAM is
 * unreachable, token authentication fails, but an x.509 client certificate signed by the cluster
 * still works. The key and CSR are made here, the cluster signs the CSR
 * (`kubernetes.io/kube-apiserver-client`), a ClusterRoleBinding grants cluster-admin, and a
 * kubeconfig with the certificate is returned for a sensitive output.
 *
 * The certificate lives as long as asked (`validityDays`, capped by the signer), its real expiry
 * is read back from the signed certificate, and a `check` block warns in every plan from
 * `warningDays` before that expiry. To rotate, replace the key (docs/cluster.md, "Rotating the
 * break-glass certificate"): a new key makes a new request and a new certificate.
 *
 * The private key lives in Terraform state: keep that state encrypted and access-controlled.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/break-glass-access", ["@cdktf/provider-kubernetes", "@cdktf/provider-tls"]);
import { CertificateSigningRequestV1 } from "@cdktf/provider-kubernetes/lib/certificate-signing-request-v1";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { CertRequest } from "@cdktf/provider-tls/lib/cert-request";
import { DataTlsCertificate } from "@cdktf/provider-tls/lib/data-tls-certificate";
import { PrivateKey } from "@cdktf/provider-tls/lib/private-key";
import { Fn, Op, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { TerraformCheck } from "../shared/terraform-check";

export const CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";

export interface BreakGlassAccessProps {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  /** The Kubernetes user name, the certificate's common name. */
  readonly userName: string;
  /** Certificate lifetime requested from the signer, in days; the signer may shorten it. */
  readonly validityDays: number;
  /** Every plan warns from this many days before the certificate expires. */
  readonly warningDays: number;
  /**
   * The kubernetes provider to use (ClusterAccess builds one).
   * @default - the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
}

export class BreakGlassAccess extends Construct {
  /** The kubeconfig (YAML) that authenticates with the client certificate. */
  readonly kubeconfig: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** When the signed certificate expires (RFC 3339), read from the certificate itself. */
  readonly expiry: string;

  constructor(scope: Construct, id: string, props: BreakGlassAccessProps) {
    super(scope, id);
    const key = new PrivateKey(this, "key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
    // No organization: an O=system:masters certificate could never be revoked by RBAC.
    const request = new CertRequest(this, "request", { privateKeyPem: key.privateKeyPem, subject: [{ commonName: props.userName }] });
    const csr = new CertificateSigningRequestV1(this, "signing-request", {
      metadata: { name: props.userName },
      spec: {
        request: request.certRequestPem,
        signerName: CLIENT_SIGNER,
        usages: ["client auth"],
        expirationSeconds: props.validityDays * 24 * 3600,
      },
      autoApprove: true,
      provider: props.kubernetesProvider,
    });
    new ClusterRoleBindingV1(this, "cluster-admin", {
      metadata: { name: `${props.userName}-cluster-admin` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subject: [{ kind: "User", name: props.userName, apiGroup: "rbac.authorization.k8s.io" }],
      provider: props.kubernetesProvider,
    });
    this.certificatePem = csr.certificate;
    this.privateKeyPem = key.privateKeyPem;
    // The signer may grant less than asked (kube-controller-manager --cluster-signing-duration), so
    // the expiry is the certificate's own notAfter, not the request's lifetime.
    const signed = new DataTlsCertificate(this, "certificate", { content: csr.certificate });
    this.expiry = signed.certificates.get(0).notAfter;
    new TerraformCheck(this, "expiry-check", {
      assertions: [
        {
          // timecmp is -1 while plan time is before (expiry - warningDays).
          condition: Op.eq(Fn.timecmp(Fn.plantimestamp(), Fn.timeadd(this.expiry, `-${props.warningDays * 24}h`)), -1),
          errorMessage:
            `The break-glass client certificate of ${props.userName} expires at ${this.expiry} (within ${props.warningDays} days). ` +
            "Rotate it: see README, \"Rotating the break-glass certificate\".",
        },
      ],
    });
    const context = `${props.userName}@${props.clusterName}`;
    this.kubeconfig = stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: props.clusterName, cluster: { server: props.endpoint, "certificate-authority-data": props.certificateAuthorityData } }],
      users: [{ name: props.userName, user: { "client-certificate-data": Fn.base64encode(csr.certificate), "client-key-data": Fn.base64encode(key.privateKeyPem) } }],
      contexts: [{ name: context, context: { cluster: props.clusterName, user: props.userName } }],
      "current-context": context,
    });
  }
}
