/**
 * Version rules: the Kubernetes version and each node group's AMI family against the support table
 * (config/versions.ts), for the blueprint's cluster architecture.
 */
import { AMI_FAMILY_LAST_VERSION, AmiFamilyName, clusterArchitectureOf, compareMinorVersions, MULTI_SNAPSHOT_AMI_FAMILIES, VERSION_SUPPORT } from "../versions";
import { asArray, asObject, asString, RuleContext } from "./context";

const FAMILY_NAMES: Readonly<Record<AmiFamilyName, string>> = { al2023: "AL2023", al2: "AL2", bottlerocket: "Bottlerocket" };

export function versionRules(context: RuleContext): void {
  const architecture = clusterArchitectureOf(context.variant, asObject(context.controlPlane.local).instanceStore);
  if (architecture === undefined) return; // the schema reports the variant
  const row = VERSION_SUPPORT[architecture];
  const version = asString(context.root.kubernetesVersion);
  const wellFormed = version !== undefined && /^1\.\d+$/.test(version);
  if (wellFormed && !row.kubernetesVersions.includes(version)) {
    context.add(
      ["kubernetesVersion"],
      `is not offered for a ${row.label}; AWS offers ${row.kubernetesVersions.join(", ")} (${row.sources[0].title}, read ${row.checked})`,
    );
  }

  context.nodeGroups.forEach((group, i) => {
    const family = asString(asObject(group.ami).family) as AmiFamilyName | undefined;
    if (family === undefined) return;
    const path = ["nodeGroups", i, "ami", "family"];
    const outpost = context.outpostNamed(group.outpost);
    if (!row.amiFamilies.includes(family)) {
      context.add(path, `is ${family}, which AWS does not join to a ${row.label}; use one of: ${row.amiFamilies.join(", ")}`);
    } else if (outpost?.formFactor === "server" && MULTI_SNAPSHOT_AMI_FAMILIES.includes(family)) {
      context.add(path, `is ${family}, whose AMIs have two snapshots; an Outposts server boots only single-snapshot AMIs: use al2023`);
    }
    const mirror = asObject(asObject(context.addons.images).mirror);
    const prefixed = asArray(mirror.registries).map(asObject).filter((registry) => registry.pathPrefix !== undefined);
    if (family === "bottlerocket" && asObject(context.addons.images).source === "mirror" && prefixed.length > 0) {
      context.add(
        path,
        "is bottlerocket, whose registry mirrors (settings.container-registry.mirrors) take a host only: " +
          `drop pathPrefix from addons.images.mirror.registries (${prefixed.map((r) => asString(r.upstream)).join(", ")}) or use al2023`,
      );
    }
    const last = AMI_FAMILY_LAST_VERSION[family];
    if (last !== undefined && wellFormed && compareMinorVersions(version, last) > 0) {
      context.add(path, `is ${family}, but EKS publishes ${FAMILY_NAMES[family]} AMIs only up to Kubernetes ${last} (this blueprint runs ${version}); use al2023`);
    }
  });
}
