/**
 * `outposts-eks disconnect-kit`: what a local cluster's users need before the service link drops (seed
 * 004; EKS UG, "Prepare local clusters for network disconnects"): the API server's host and static
 * addresses as a hosts-file block, and a break-glass kubeconfig that reaches the API by address, so
 * neither needs Route 53.
 *
 *   outposts-eks disconnect-kit --config <blueprint> [--endpoint <url>] [--addresses a,b,c] [--kubeconfig <file>]
 *
 * The endpoint comes from the control-plane stack's local state when the backend is local, else from
 * --endpoint (`terraform output -raw cluster_endpoint`). The addresses are resolved now, while
 * connected, unless given. The kubeconfig is the addons stack's `break_glass_kubeconfig` output
 * (`terraform output -raw break_glass_kubeconfig > break-glass.yaml`); its server becomes the first
 * address, with `tls-server-name` keeping the certificate check on the host name.
 */
import { promises as dns } from "dns";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import type { Blueprint } from "../config";
import { CommandError, parseJsonFile } from "./exit-codes";

export interface DisconnectKit {
  readonly host: string;
  readonly hostsBlock: string;
  readonly kubeconfig?: string;
}

/** The host of an endpoint URL, without scheme or port. */
export function endpointHost(endpoint: string): string {
  return endpoint.replace(/^https?:\/\//, "").replace(/[:/].*$/, "");
}

/** The hosts-file block and the address-based kubeconfig, from an endpoint and its addresses. */
export function disconnectKit(endpoint: string, addresses: readonly string[], kubeconfigText?: string): DisconnectKit {
  const host = endpointHost(endpoint);
  if (addresses.length === 0) throw new CommandError(`no address for ${host}: give --addresses, or run this while the Outpost is connected`);
  const hostsBlock = ["# outposts-eks: the Kubernetes API of a local cluster, for when Route 53 is out of reach", ...addresses.map((address) => `${address} ${host}`), ""].join(
    "\n",
  );
  if (kubeconfigText === undefined) return { host, hostsBlock };
  const kubeconfig = parse(kubeconfigText);
  for (const entry of kubeconfig.clusters ?? []) {
    // By address, the certificate still checked against the host name it was issued for.
    entry.cluster.server = `https://${addresses[0]}`;
    entry.cluster["tls-server-name"] = host;
  }
  return { host, hostsBlock, kubeconfig: stringify(kubeconfig) };
}

/** The control-plane stack's endpoint output, from its local state file. */
function endpointFromLocalState(blueprint: Blueprint): string | undefined {
  if (blueprint.backend.type !== "local") return undefined;
  const file = path.join(blueprint.backend.stateDirectory, "control-plane.tfstate");
  if (!existsSync(file)) return undefined;
  return (parseJsonFile(readFileSync(file, "utf8"), file) as { outputs?: { cluster_endpoint?: { value?: string } } }).outputs?.cluster_endpoint?.value;
}

export interface DisconnectKitOptions {
  /** The API server endpoint. @default the control-plane stack's cluster_endpoint output, from the local backend's state */
  readonly endpoint?: string;
  /** The API server's addresses. @default resolved now, while connected */
  readonly addresses?: readonly string[];
  /** A kubeconfig file (the break_glass_kubeconfig output) to rewrite by address. */
  readonly kubeconfig?: string;
}

/** The text `outposts-eks disconnect-kit` prints: the hosts block, then the kubeconfig by address. */
export async function disconnectKitCommand(blueprint: Blueprint, options: DisconnectKitOptions = {}): Promise<string> {
  if (blueprint.variant !== "local") throw new CommandError("the disconnect kit is for local clusters: an extended cluster's API is in the Region");
  const endpoint = options.endpoint ?? endpointFromLocalState(blueprint);
  if (!endpoint) throw new CommandError("no endpoint: deploy the control-plane stack (local backend), or give --endpoint $(terraform output -raw cluster_endpoint)");
  const addresses = options.addresses ?? (await dns.resolve4(endpointHost(endpoint)));
  const kit = disconnectKit(endpoint, addresses, options.kubeconfig ? readFileSync(options.kubeconfig, "utf8") : undefined);
  return kit.hostsBlock + (kit.kubeconfig ? `\n# break-glass kubeconfig by address:\n${kit.kubeconfig}` : "");
}
