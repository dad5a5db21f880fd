/**
 * Chart values each Helm add-on's construct decides, by dot path: extra values must not replace
 * them, since IAM trust, the image catalogue or Outpost placement depend on them. Import-free, so
 * the config rules check a blueprint's extra values against the same lists.
 */
export const OWNED_VALUES = {
  "aws-load-balancer-controller": ["image", "clusterName", "region", "vpcId", "serviceAccount", "createIngressClassResource", "ingressClassParams"],
  "aws-node-termination-handler": ["image", "awsRegion", "queueURL", "enableSqsTerminationDraining", "managedTag", "checkTagBeforeDraining", "serviceAccount"],
  "aws-ebs-csi-driver": ["image", "sidecars", "controller.serviceAccount", "node.hostNetwork"],
} as const;

/** The owned paths that `extraValues` would replace: a path of either is a prefix of the other. */
export function ownedValueConflicts(owned: readonly string[], extraValues: Record<string, unknown>): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    paths.push(prefix);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, `${prefix}.${key}`);
    }
  };
  for (const [key, value] of Object.entries(extraValues)) walk(value, key);
  return paths.filter((path) => owned.some((own) => own === path || own.startsWith(`${path}.`) || path.startsWith(`${own}.`)));
}
