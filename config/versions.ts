/**
 * Which Kubernetes versions and node AMI families AWS accepts on each cluster architecture, in one
 * table. The config rules read it, docs/cluster.md shows it (rendered by `versionSupportMarkdown`, and a
 * test keeps the two in step), and each row names the pages it was read from and when.
 *
 * Update it when AWS publishes a new version: add the version to the rows that offer it, drop the
 * versions whose (extended) support ended, and move `checked` forward.
 */

/** The three cluster architectures of the blueprint, each with its own version list. */
export type ClusterArchitecture = "extended" | "local-ebs" | "local-instance-store";

/** Node operating systems the blueprint can join to a cluster. */
export type AmiFamilyName = "al2023" | "al2" | "bottlerocket";

export interface DocumentSource {
  readonly title: string;
  readonly url: string;
}

export interface VersionSupportRow {
  /** What docs/cluster.md calls the row. */
  readonly label: string;
  /** Kubernetes minor versions AWS offers for a new cluster of this architecture, oldest first. */
  readonly kubernetesVersions: readonly string[];
  /** Node AMI families AWS (or, where marked, eksctl) joins to a cluster of this architecture. */
  readonly amiFamilies: readonly AmiFamilyName[];
  /** Why the row says what it says, for docs/cluster.md. */
  readonly notes: string;
  readonly sources: readonly DocumentSource[];
  /** When the sources were last read (ISO date). */
  readonly checked: string;
}

const UG = "https://docs.aws.amazon.com/eks/latest/userguide";

/**
 * Extended clusters and instance-store local clusters follow the EKS release calendar (standard
 * support 14 months, then extended support 12 months). Re-read 2026-12-02: 1.30's extended support
 * ended on 2026-07-23 and 1.31's on 2026-11-26 (a cluster of either can no longer be created); 1.32's
 * ends 2027-03-23; 1.36 is documented in the EKS User Guide (the instance-store pages' examples use
 * it). EBS-backed local clusters follow their own list ("platform versions for AWS Outposts",
 * `eks-local-outposts.N`), which stopped at 1.32.
 */
const EKS_CALENDAR_VERSIONS = ["1.32", "1.33", "1.34", "1.35", "1.36"] as const;

export const VERSION_SUPPORT: Readonly<Record<ClusterArchitecture, VersionSupportRow>> = {
  extended: {
    label: "extended cluster (control plane in the Region)",
    kubernetesVersions: EKS_CALENDAR_VERSIONS,
    amiFamilies: ["al2023", "al2", "bottlerocket"],
    notes: "EKS release calendar (standard + extended support). Bottlerocket on racks only (servers boot single-snapshot AMIs).",
    sources: [
      { title: "EKS UG, Understand the Kubernetes version lifecycle on EKS", url: `${UG}/kubernetes-versions.html` },
      { title: "EKS UG, Create self-managed Bottlerocket nodes", url: `${UG}/launch-node-bottlerocket.html` },
    ],
    checked: "2026-12-02",
  },
  "local-ebs": {
    label: "local cluster, EBS-backed control plane",
    kubernetesVersions: ["1.29", "1.30", "1.31", "1.32"],
    amiFamilies: ["al2023", "al2"],
    notes:
      "Own version list, 1.29 to 1.32 (eks-local-outposts; the page's last entries: 1.29-1.31 on 2025-12-23, 1.32 on 2026-04-10). AL2 is the documented node OS (AMIs end at 1.32); " +
      "AL2023 joins through nodeadm's Outposts support (eksctl #8599), not yet in the EKS UG. No Bottlerocket.",
    sources: [
      { title: "EKS UG, Learn Kubernetes and Amazon EKS platform versions for AWS Outposts", url: `${UG}/eks-outposts-platform-versions.html` },
      { title: "EKS UG, Create Amazon Linux nodes on AWS Outposts", url: `${UG}/eks-outposts-self-managed-nodes.html` },
      { title: "eksctl PR #8599 (AL2023 on Outposts, Nov 2025)", url: "https://github.com/eksctl-io/eksctl/pull/8599" },
    ],
    checked: "2026-12-02",
  },
  "local-instance-store": {
    label: "local cluster, instance-store control plane (2026)",
    kubernetesVersions: EKS_CALENDAR_VERSIONS,
    amiFamilies: ["al2023", "bottlerocket"],
    notes: "Follows the EKS release calendar. AL2023 and Bottlerocket nodes (the instance-store overview names no AL2; aws/containers-roadmap #2828).",
    sources: [
      { title: "EKS UG, Create an instance-store local cluster on AWS Outposts", url: `${UG}/eks-outposts-instance-store-local-cluster-create.html` },
      { title: "EKS UG, Understand the Kubernetes version lifecycle on EKS", url: `${UG}/kubernetes-versions.html` },
      { title: "aws/containers-roadmap #2828", url: "https://github.com/aws/containers-roadmap/issues/2828" },
    ],
    checked: "2026-12-02",
  },
};

/**
 * The newest Kubernetes minor version each AMI family is published for, where it stops. EKS
 * publishes AL2 AMIs up to 1.32 (EKS UG, "Amazon EKS AMI deprecation FAQs"); they reached end of
 * support on 2025-11-26.
 */
export const AMI_FAMILY_LAST_VERSION: Readonly<Partial<Record<AmiFamilyName, string>>> = { al2: "1.32" };

/** AMI families whose AMIs need more than one snapshot, which Outposts servers cannot boot (seed 001). */
export const MULTI_SNAPSHOT_AMI_FAMILIES: readonly AmiFamilyName[] = ["bottlerocket"];

/** The architecture of a blueprint: its variant, and for a local cluster where etcd keeps its data. */
export function clusterArchitectureOf(variant: unknown, instanceStore: unknown): ClusterArchitecture | undefined {
  if (variant === "extended") return "extended";
  if (variant === "local") return instanceStore === undefined ? "local-ebs" : "local-instance-store";
  return undefined;
}

/** Compares two minor versions ("1.32" < "1.33"). */
export function compareMinorVersions(a: string, b: string): number {
  const minor = (version: string) => Number(version.split(".")[1] ?? Number.NaN);
  return minor(a) - minor(b);
}

/** The version table as a Markdown table, for docs/cluster.md. */
export function versionSupportMarkdown(): string {
  const rows = Object.values(VERSION_SUPPORT).map((row) => {
    const versions = `${row.kubernetesVersions[0]} to ${row.kubernetesVersions[row.kubernetesVersions.length - 1]}`;
    const sources = row.sources.map((source) => `[${source.title}](${source.url})`).join("; ");
    return `| ${row.label} | ${versions} | ${row.amiFamilies.join(", ")} | ${row.notes} | ${sources} (read ${row.checked}) |`;
  });
  return ["| architecture | Kubernetes versions | AMI families | notes | sources |", "|---|---|---|---|---|", ...rows].join("\n");
}
