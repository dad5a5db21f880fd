/**
 * The optional peers (package.json `peerDependenciesMeta`): the helm, kubernetes, tfe and tls
 * providers. The root entry never loads them; each entry point that does (the add-on modules,
 * `outposts-eks/stacks`, ...) calls `requireOptionalPeers` as its first statement, so a missing peer
 * is named with the command that installs it instead of Node's `Cannot find module`.
 */
import { readFileSync } from "fs";
import { packageFile } from "./package-files";

export const OPTIONAL_PEERS = ["@cdktf/provider-helm", "@cdktf/provider-kubernetes", "@cdktf/provider-tfe", "@cdktf/provider-tls"] as const;
export type OptionalPeer = (typeof OPTIONAL_PEERS)[number];

/** The range package.json asks for, or `latest` when it cannot be read. */
function peerRange(peer: OptionalPeer): string {
  try {
    const manifest = JSON.parse(readFileSync(packageFile("package.json"), "utf8"));
    return manifest.name === "outposts-eks" ? (manifest.peerDependencies?.[peer] ?? "latest") : "latest";
  } catch {
    return "latest";
  }
}

/**
 * Throws `outposts-eks/<entry> needs <peer>: npm install <peer>@<range>` when a peer cannot be
 * resolved from this package (its package.json only: no provider binding is loaded).
 */
/** An optional peer the entry point needs is not installed; the message names it and its install command. */
export class MissingPeerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingPeerError";
  }
}

export function requireOptionalPeers(entry: string, peers: readonly OptionalPeer[], resolve: (id: string) => string = require.resolve): void {
  const missing = peers.filter((peer) => {
    try {
      resolve(`${peer}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  const named = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
  throw new MissingPeerError(`outposts-eks/${entry} needs ${named}: npm install ${missing.map((peer) => `${peer}@${peerRange(peer)}`).join(" ")}`);
}
