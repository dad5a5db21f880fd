/**
 * Control-plane sizing for EKS local clusters. The instance size follows the number of nodes the
 * cluster may reach and cannot be changed after creation.
 *
 * Sources (EKS User Guide): "Capacity considerations" for local clusters (control plane: 1-20 nodes
 * large, 21-100 xlarge, 101-250 2xlarge, 251-500 4xlarge), and the instance-store page of 2026
 * (API server 2/4/8/16 vCPU for the same node counts; etcd 2 vCPU up to 50 nodes, 4 up to 250,
 * 8 up to 500). The guide names no family list, only that the type must be slotted on the Outpost,
 * which a plan-time precondition checks; here the size suffix stands for the vCPU count
 * (large = 2 vCPU, xlarge = 4, ...).
 */

export interface SizeStep {
  readonly size: string;
  readonly maxNodes: number;
  /** The vCPUs and memory (MiB) the guide asks for this step, checked at plan time against the instance type. */
  readonly vcpus: number;
  readonly memoryMiB: number;
}

const GiB = 1024;

export const CONTROL_PLANE_SIZES: readonly SizeStep[] = [
  { size: "large", maxNodes: 20, vcpus: 2, memoryMiB: 8 * GiB },
  { size: "xlarge", maxNodes: 100, vcpus: 4, memoryMiB: 16 * GiB },
  { size: "2xlarge", maxNodes: 250, vcpus: 8, memoryMiB: 32 * GiB },
  { size: "4xlarge", maxNodes: 500, vcpus: 16, memoryMiB: 64 * GiB },
];

export const ETCD_SIZES: readonly SizeStep[] = [
  { size: "large", maxNodes: 50, vcpus: 2, memoryMiB: 8 * GiB },
  { size: "xlarge", maxNodes: 250, vcpus: 4, memoryMiB: 16 * GiB },
  { size: "2xlarge", maxNodes: 500, vcpus: 8, memoryMiB: 32 * GiB },
];

/** The guide's step for a node count: the least vCPUs and memory; undefined beyond the table (a rule rejects it). */
export function requiredCapacity(nodes: number, steps: readonly SizeStep[]): { vcpus: number; memoryMiB: number } | undefined {
  const step = steps.find((candidate) => nodes <= candidate.maxNodes);
  return step && { vcpus: step.vcpus, memoryMiB: step.memoryMiB };
}

const SIZE_ORDER = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];

/** Why `instanceType` cannot serve `nodes` nodes by the given steps, or undefined when it can. */
export function sizingProblem(instanceType: string, nodes: number, steps: readonly SizeStep[]): string | undefined {
  const [family, size] = instanceType.split(".");
  const required = steps.find((step) => nodes <= step.maxNodes)?.size;
  if (required === undefined) {
    return `cannot serve ${nodes} nodes: a local cluster is sized for at most ${steps[steps.length - 1].maxNodes}`;
  }
  if (!SIZE_ORDER.includes(size)) return `has size '${size}'; local clusters take ${steps.map((s) => s.size).join(", ")} or larger`;
  if (SIZE_ORDER.indexOf(size) < SIZE_ORDER.indexOf(required)) {
    return `is too small for ${nodes} nodes (the node groups' maxSize plus spareNodes, summed); the sizing guidance asks for ${family}.${required} or larger`;
  }
  return undefined;
}
