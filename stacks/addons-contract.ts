/** The addons stack's outputs: fixed names, documented once here. */
import { OutputSpec } from "./blueprint-stack";

export const ADDONS_OUTPUTS = {
  ingressClassNames: { name: "ingress_class_names", description: "ALB IngressClass name by rack Outpost." },
  defaultStorageClass: { name: "default_storage_class", description: "Name of the default (gp2, encrypted) StorageClass; empty without EBS." },
  loadBalancerControllerRoleArn: {
    name: "load_balancer_controller_role_arn",
    description: "IRSA role of the Load Balancer Controller; empty on local clusters (node role) or without the controller.",
  },
  ebsCsiDriverRoleArn: { name: "ebs_csi_driver_role_arn", description: "IRSA role of the EBS CSI driver; empty on local clusters or without EBS." },
  breakGlassKubeconfig: {
    name: "break_glass_kubeconfig",
    description: "Sensitive. Kubeconfig with the break-glass client certificate (local clusters); empty otherwise.",
  },
  breakGlassCertificateExpiry: {
    name: "break_glass_certificate_expiry",
    description: "When the break-glass client certificate expires (RFC 3339, from the certificate); every plan warns 30 days before. Empty without break-glass.",
  },
} as const satisfies Record<string, OutputSpec>;
