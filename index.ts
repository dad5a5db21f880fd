/**
 * outposts-eks as a library: the blueprint's config loader and schema, the four stacks, and every
 * construct of modules/. Each module is also its own entry point, `outposts-eks/modules/<name>`.
 * Apps that synthesize HCL call `fixCdktfHclRendering()` once before `app.synth()`.
 */
export * from "./config";
export * from "./stacks";
export * from "./modules/aws-auth";
export * from "./modules/break-glass-access";
export * from "./modules/cluster-access";
export * from "./modules/ebs-storage";
export * from "./modules/eks-control-plane";
export * from "./modules/eks-core-addons";
export * from "./modules/flow-logs";
export * from "./modules/hcp-workspaces";
export * from "./modules/image-repositories";
export * from "./modules/irsa-role";
export * from "./modules/load-balancer-controller";
export * from "./modules/local-gateway-routing";
export * from "./modules/node-role";
export * from "./modules/node-security-group";
export * from "./modules/node-termination-handler";
export * from "./modules/outpost-monitoring";
export * from "./modules/outpost-node-group";
export * from "./modules/outpost-subnet";
export * from "./modules/state-backend";
export * from "./modules/termination-queue";
export * from "./modules/vpc";
export * from "./modules/vpc-endpoints";
export * from "./modules/shared/addon";
export * from "./modules/shared/hcl-fix";
export * from "./modules/shared/image-catalogue";
export * from "./modules/shared/workload-identity";
export * from "./modules/shared/newer-provider-arguments";
