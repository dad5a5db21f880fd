/**
 * outposts-eks as a library, its root entry: what works with the required peers only (cdktf,
 * constructs, @cdktf/provider-aws): the blueprint's config loader and schema, every construct that
 * creates AWS resources only, and the helpers they share. Apps that synthesize HCL call
 * `fixCdktfHclRendering()` once before `app.synth()`.
 *
 * What needs an optional peer (helm, kubernetes, tfe, tls) is reached through its subpath, which
 * names the missing peer and its install command: `outposts-eks/stacks` (the four stacks and
 * `buildBlueprint`), `outposts-eks/modules/<name>` for aws-auth, break-glass-access, cluster-access,
 * ebs-storage, eks-core-addons, hcp-workspaces, load-balancer-controller, node-termination-handler
 * and state-backend, and `outposts-eks/addon` (`addonRelease`). test/package-entry.test.ts walks
 * this file's imports and fails if they reach an optional peer.
 */
export * from "./config";
export * from "./modules/eks-control-plane";
export * from "./modules/flow-logs";
export * from "./modules/image-repositories";
export * from "./modules/irsa-role";
export * from "./modules/local-gateway-routing";
export * from "./modules/node-role";
export * from "./modules/node-security-group";
export * from "./modules/outpost-monitoring";
export * from "./modules/outpost-node-group";
export * from "./modules/outpost-subnet";
export * from "./modules/termination-queue";
export * from "./modules/vpc";
export * from "./modules/vpc-endpoints";
export * from "./modules/vpc-dns";
export type { Addon, AddonReleaseProps, AddonSpec, HelmChart } from "./modules/shared/addon-types";
export * from "./modules/shared/hcl-fix";
export * from "./modules/shared/image-catalogue";
export * from "./modules/shared/workload-identity";
export * from "./modules/shared/newer-provider-arguments";
export * from "./modules/shared/optional-peers";
