/**
 * Fleet rules about what sites share (issue 31), called from fleetRuleProblems (config/fleet.ts):
 * - sites that adopt one VPC create their subnets and private zones in it: two of them creating
 *   overlapping subnets, or private zones of one name, collide at apply (EC2 InvalidSubnet.Conflict;
 *   Route 53 ConflictingDomainExists), and destroying one site would take the other's;
 * - an Outpost is one rack or server anchored to one Availability Zone (Outposts User Guide): sites
 *   that declare the same Outpost ARN must agree on its parent AZ and form factor;
 * - a site's HCP Terraform workspaces are `<workspacePrefix>-<site>-<stack>`: HCP Terraform takes up to
 *   260 characters (config/schema.ts HCP_WORKSPACE_NAME_MAX); the schema bounds keep every such name
 *   far below (test/config/fleet-sharing.test.ts), and over HashiCorp's recommended 90 each stack warns
 *   at synth (workspaceNameWarning, stacks/blueprint-stack.ts), so no refusal is needed here.
 */
import { cidrsOverlap, parseCidr } from "./cidr";
import type { FleetSite } from "./fleet";
import { privateZones } from "./identities";
import type { BlueprintProblem } from "./load";
import { formatPath } from "./load";
import type { Raw } from "./rules/context";

const between = (a: string, b: string, message: string): BlueprintProblem => ({ path: `${a} and ${b}`, value: undefined, message, relation: true });

export function fleetSharingProblems(sites: readonly FleetSite[]): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  const key = (site: FleetSite) => `sites[${site.name}]`;

  // Sites adopting one VPC (one ID in one Region): what each creates in it.
  const byVpc = new Map<string, FleetSite[]>();
  for (const site of sites) {
    const id = site.blueprint.network.vpc.id;
    if (id !== undefined) byVpc.set(`${site.blueprint.region}/${id}`, [...(byVpc.get(`${site.blueprint.region}/${id}`) ?? []), site]);
  }
  const createdSubnets = (site: FleetSite) => [
    ...site.blueprint.network.regionalSubnets.flatMap((subnet, i) => (subnet.id === undefined ? [{ path: `network.regionalSubnets[${i}].cidr`, cidr: subnet.cidr }] : [])),
    ...site.blueprint.outposts.flatMap((outpost, i) => (outpost.subnet.id === undefined ? [{ path: `outposts[${i}].subnet.cidr`, cidr: outpost.subnet.cidr }] : [])),
  ];
  const createdZones = (site: FleetSite) => privateZones(site.blueprint as unknown as Raw).filter((zone) => !zone.existing);
  for (const [vpc, members] of byVpc) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const [a, b] = [members[i], members[j]];
        for (const mine of createdSubnets(a)) {
          for (const theirs of createdSubnets(b)) {
            const [x, y] = [parseCidr(mine.cidr), parseCidr(theirs.cidr)];
            if (x && y && cidrsOverlap(x, y)) {
              problems.push(
                between(
                  `${key(a)}.${mine.path}`,
                  `${key(b)}.${theirs.path}`,
                  `overlap (${x.text} and ${y.text}): both sites adopt the VPC ${vpc.split("/")[1]} and create these subnets in it; EC2 refuses the second (InvalidSubnet.Conflict); give each site its own range`,
                ),
              );
            }
          }
        }
        for (const mine of createdZones(a)) {
          const theirs = createdZones(b).find((zone) => zone.name === mine.name);
          if (theirs) {
            problems.push(
              between(
                `${key(a)}.${formatPath(mine.path)}`,
                `${key(b)}.${formatPath(theirs.path)}`,
                `both create the private zone ${mine.name} on the VPC ${vpc.split("/")[1]}; Route 53 refuses a second zone of one name on a VPC (ConflictingDomainExists): ` +
                  "create it in one site and give the other its zoneId",
              ),
            );
          }
        }
      }
    }
  }

  // One Outpost, declared by several sites: one parent AZ, one form factor.
  const firstByArn = new Map<string, { site: FleetSite; index: number }>();
  for (const site of sites) {
    site.blueprint.outposts.forEach((outpost, index) => {
      const first = firstByArn.get(outpost.arn);
      if (first === undefined) return void firstByArn.set(outpost.arn, { site, index });
      const earlier = first.site.blueprint.outposts[first.index];
      for (const field of ["availabilityZone", "formFactor"] as const) {
        if (earlier[field] !== outpost[field]) {
          problems.push(
            between(
              `${key(first.site)}.outposts[${first.index}].${field}`,
              `${key(site)}.outposts[${index}].${field}`,
              `differ (${earlier[field]} and ${outpost[field]}) for one Outpost (${outpost.arn}): an Outpost has one parent Availability Zone and one form factor; declare it alike in every site`,
            ),
          );
        }
      }
    });
  }

  return problems;
}
