/** The addons stack's outputs: fixed names, documented once here, and their typed reader. */
import { IResolvable } from "cdktf";
import { Construct } from "constructs";
import { readRemoteState, StateBackend } from "../modules/state-backend";
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
    sensitive: true,
  },
  breakGlassCertificateExpiry: {
    name: "break_glass_certificate_expiry",
    description: "When the break-glass client certificate expires (RFC 3339, from the certificate); every plan warns 30 days before. Empty without break-glass.",
  },
} as const satisfies Record<string, OutputSpec>;

export type AddonsOutputs = { readonly [K in Exclude<keyof typeof ADDONS_OUTPUTS, "ingressClassNames">]: string } & {
  /** IngressClass name by rack Outpost, as one map. */
  readonly ingressClassNames: IResolvable;
};

/**
 * Reads the addons outputs (for a stack or repository that builds on the cluster) through the reader
 * matching its backend. The break-glass kubeconfig stays sensitive: through tfe_outputs it is read
 * from `values`, which the tfe provider marks sensitive.
 */
export function readAddonsOutputs(scope: Construct, id: string, backend: StateBackend): AddonsOutputs {
  const state = readRemoteState(scope, id, backend, "addons");
  const { ingressClassNames, ...strings } = ADDONS_OUTPUTS;
  const entries = Object.entries(strings).map(([key, spec]) => [key, state.getString(spec)]);
  return { ...Object.fromEntries(entries), ingressClassNames: state.get(ingressClassNames) } as AddonsOutputs;
}
