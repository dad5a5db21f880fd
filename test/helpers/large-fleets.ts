/**
 * Generated fleets (docs/fleets.md) of one-rack stores for the fleet tests and `npm run bench`: one
 * base and, per site, what a real store gives of its own (VPC and subnet ranges on a shared WAN, its
 * rack's ARN and local gateway route table, its on-premises range, a tag). Written to a scratch
 * directory, never committed.
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { stringify } from "yaml";

/** The base every generated site shares: the blueprint fields that are not the site's. */
export const GENERATED_FLEET_BASE = {
  region: "us-west-2",
  variant: "extended",
  kubernetesVersion: "1.33",
  tags: { team: "retail-platform" },
  backend: { type: "local", stateDirectory: "terraform-state" },
  network: { egress: "private" },
  controlPlane: { endpointPublicAccess: false, adminPrincipalArns: ["arn:aws:iam::111122223333:role/platform-admin"] },
  nodeGroups: [{ name: "rack-general", outpost: "rack", instanceType: "m5.xlarge", minSize: 2, maxSize: 4 }],
} as const;

/** The name of generated site `i` (from 0): `site-0001` and on, none a prefix of another's with a dash. */
export const generatedSiteName = (i: number): string => `site-${String(i + 1).padStart(4, "0")}`;

/** Site `i`'s own fields: a /20 of 10.0.0.0/8 for its VPC (distinct up to 4,096 sites), its rack, its tag. */
export function generatedSite(i: number): Record<string, unknown> {
  const vpc = (third: number) => `10.${(i >> 4) & 255}.${((i & 15) << 4) + third}.0`;
  const hex = (i + 1).toString(16).padStart(17, "0");
  return {
    name: generatedSiteName(i),
    sharedNetwork: "retail-wan",
    tags: { store: String(i + 1) },
    network: {
      vpc: { cidr: `${vpc(0)}/20` },
      regionalSubnets: [
        { availabilityZone: "us-west-2a", cidr: `${vpc(1)}/24` },
        { availabilityZone: "us-west-2b", cidr: `${vpc(2)}/24` },
      ],
    },
    outposts: [
      {
        name: "rack",
        arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex}`,
        formFactor: "rack",
        availabilityZone: "us-west-2a",
        subnet: { cidr: `${vpc(3)}/24` },
        localGatewayRouteTableId: `lgw-rtb-${hex}`,
        onPremCidrs: [`172.${16 + ((i >> 8) & 15)}.${i & 255}.0/24`],
      },
    ],
  };
}

/** A fleet of `count` generated sites, its base inline, as parsed input. */
export function generatedFleet(count: number): Record<string, unknown> {
  return { base: structuredClone(GENERATED_FLEET_BASE), sites: Array.from({ length: count }, (_, i) => generatedSite(i)) };
}

/** Writes a generated fleet of `count` sites as YAML into `directory`; returns the file. */
export function writeGeneratedFleet(directory: string, count: number): string {
  const file = path.join(directory, `fleet-${count}.yaml`);
  writeFileSync(file, stringify(generatedFleet(count)));
  return file;
}
