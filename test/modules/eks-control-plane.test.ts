/**
 * The two control planes: EksExtendedControlPlane (in the Region: KMS secrets encryption, OIDC,
 * access entries, API_AND_CONFIG_MAP) and EksLocalControlPlane (on one rack: CONFIG_MAP, a spread
 * placement, plan-time checks of the Outpost; or the instance-store architecture).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsOutpostsOutpost } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformStack, Testing, Token } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import {
  clusterAdminAccessPolicyArn,
  CONTROL_PLANE_LOG_TYPES,
  defaultSpreadLevel,
  EksExtendedControlPlane,
  EksExtendedControlPlaneProps,
  EksLocalControlPlane,
  EksLocalControlPlaneProps,
  INSTANCE_STORE_MIN_AWS_PROVIDER,
} from "../../modules/eks-control-plane";
import { awsProviderConstraint, requireAwsProviderVersion } from "../../modules/shared/newer-provider-arguments";

const RACK_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0rack0000000000001";
const ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform/Admin";
const ADMIN_USER = "arn:aws:iam::111122223333:user/alice";

const only = (blocks: Record<string, any> | undefined): any => {
  const values = Object.values(blocks ?? {});
  if (values.length !== 1) throw new Error(`expected exactly one block, found ${values.length}`);
  return values[0];
};
const onlyId = (blocks: Record<string, any> | undefined): string => {
  const keys = Object.keys(blocks ?? {});
  if (keys.length !== 1) throw new Error(`expected exactly one block, found ${keys.length}`);
  return keys[0];
};

const extendedProps: EksExtendedControlPlaneProps = {
  clusterName: "edge",
  kubernetesVersion: "1.33",
  clusterRoleName: "edge-cluster",
  subnetIds: ["subnet-0a", "subnet-0b"],
  outpostSubnetCidrs: { "rack-a": "10.20.64.0/22", "rack-b": "10.20.68.0/22" },
  // The explicit entries alone; the caller's entry has its own tests.
  callerAdminAccessEntry: false,
};

function synthExtended(props: EksExtendedControlPlaneProps): { plane: EksExtendedControlPlane; synthesized: string; json: any } {
  let plane!: EksExtendedControlPlane;
  const synthesized = Testing.synthScope((scope) => {
    plane = new EksExtendedControlPlane(scope, "control-plane", props);
  });
  return { plane, synthesized, json: JSON.parse(synthesized) };
}

const localProps: EksLocalControlPlaneProps = {
  clusterName: "edge-local",
  kubernetesVersion: "1.32",
  clusterRoleName: "edge-local-cluster",
  outpostArn: RACK_ARN,
  subnetId: "subnet-0outpost",
  controlPlaneInstanceType: "m5d.large",
  apiClientCidrs: { "rack-a": "10.20.64.0/22", vpc: "10.20.0.0/16" },
};

function synthLocal(props: EksLocalControlPlaneProps, minimumAwsProvider?: string): { plane: EksLocalControlPlane; synthesized: string; json: any } {
  const stack = new TerraformStack(Testing.app(), "control-plane");
  new AwsProvider(stack, "aws", { region: "us-west-2" });
  if (minimumAwsProvider !== undefined) requireAwsProviderVersion(stack, minimumAwsProvider);
  const plane = new EksLocalControlPlane(stack, "control-plane", props);
  const synthesized = Testing.synth(stack);
  return { plane, synthesized, json: JSON.parse(synthesized) };
}

describe("EksExtendedControlPlane with defaults", () => {
  const { plane, synthesized, json } = synthExtended(extendedProps);
  const cluster = only(json.resource.aws_eks_cluster);
  const roleId = onlyId(json.resource.aws_iam_role);

  it("creates the cluster role, trusted by eks.amazonaws.com for this cluster only, with AmazonEKSClusterPolicy", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "edge-cluster", description: "EKS cluster role (outposts-eks)" });
    const partitionId = onlyId(json.data.aws_partition);
    const account = `\${data.aws_caller_identity.${onlyId(json.data.aws_caller_identity)}.account_id}`;
    expect(only(json.data.aws_iam_policy_document).statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["eks.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:\${data.aws_partition.${partitionId}.partition}:eks:*:${account}:cluster/edge`] },
        ],
      },
    ]);
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: `\${aws_iam_role.${roleId}.name}`,
      policy_arn: `arn:\${data.aws_partition.${partitionId}.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });
  });

  it("creates the control-plane log group under EKS's name with 90 days' retention, before the cluster", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/edge/cluster", retention_in_days: 90 });
    const logGroupId = onlyId(json.resource.aws_cloudwatch_log_group);
    const attachmentId = onlyId(json.resource.aws_iam_role_policy_attachment);
    expect(cluster.depends_on).toEqual([`aws_cloudwatch_log_group.${logGroupId}`, `aws_iam_role_policy_attachment.${attachmentId}`]);
  });

  it("checks at plan time that every cluster subnet is regional", () => {
    for (const subnetId of extendedProps.subnetIds) {
      expect(synthesized).toHaveDataSourceWithProperties(DataAwsSubnet, { id: subnetId });
    }
    for (const subnet of Object.values(json.data.aws_subnet) as any[]) {
      const [check] = subnet.lifecycle.postcondition;
      expect(check.condition).toBe('${(coalesce(self.outpost_arn, "regional") == "regional")}');
    }
  });

  it("encrypts secrets with a rotating KMS key of its own, aliased after the cluster", () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, {
      description: "EKS secrets encryption for edge",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    const keyId = onlyId(json.resource.aws_kms_key);
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: "alias/eks/edge", target_key_id: `\${aws_kms_key.${keyId}.key_id}` });
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: `\${aws_kms_key.${keyId}.arn}` } });
  });

  it("creates a private-only cluster with access entries, all control-plane logs and deletion protection", () => {
    expect(synthesized).toHaveResourceWithProperties(EksCluster, {
      name: "edge",
      version: "1.33",
      role_arn: `\${aws_iam_role.${roleId}.arn}`,
      vpc_config: { subnet_ids: ["subnet-0a", "subnet-0b"], endpoint_private_access: true, endpoint_public_access: false },
      access_config: { authentication_mode: "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: false },
      enabled_cluster_log_types: [...CONTROL_PLANE_LOG_TYPES],
      deletion_protection: true,
    });
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.kubernetes_network_config).toBeUndefined();
    expect(cluster.outpost_config).toBeUndefined();
  });

  it("lets each Outpost subnet reach the API on 443 through the cluster security group", () => {
    const clusterId = onlyId(json.resource.aws_eks_cluster);
    for (const [outpost, cidr] of Object.entries(extendedProps.outpostSubnetCidrs)) {
      expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: `\${aws_eks_cluster.${clusterId}.vpc_config[0].cluster_security_group_id}`,
        cidr_ipv4: cidr,
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        description: `Kubernetes API from the subnet of Outpost ${outpost}`,
      });
    }
    expect(Object.keys(json.resource.aws_vpc_security_group_ingress_rule)).toHaveLength(2);
  });

  it("creates the IAM OIDC provider for IRSA from the cluster's issuer", () => {
    const clusterId = onlyId(json.resource.aws_eks_cluster);
    expect(synthesized).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: `\${aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer}`,
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("creates no access entry without admin principals, and exposes the extended attributes", () => {
    expect(json.resource.aws_eks_access_entry).toBeUndefined();
    expect(plane.authenticationMode).toBe("API_AND_CONFIG_MAP");
    // The version EKS runs, read off the cluster (a reference), not the "1.33" asked for.
    expect(Token.isUnresolved(plane.kubernetesVersion)).toBe(true);
    for (const attribute of [plane.clusterName, plane.endpoint, plane.oidcProviderArn, plane.oidcProviderUrl, plane.kmsKeyArn, plane.clusterRoleArn]) {
      expect(typeof attribute).toBe("string");
    }
  });
});

describe("EksExtendedControlPlane options", () => {
  it("opens a public endpoint to the CIDRs given", () => {
    const { synthesized } = synthExtended({ ...extendedProps, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    expect(synthesized).toHaveResourceWithProperties(EksCluster, {
      vpc_config: expect.objectContaining({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }),
    });
  });

  it("sets the service CIDR, log retention and deletion protection from props", () => {
    const { synthesized } = synthExtended({ ...extendedProps, serviceIpv4Cidr: "172.20.0.0/16", logRetentionDays: 30, deletionProtection: false });
    expect(synthesized).toHaveResourceWithProperties(EksCluster, {
      kubernetes_network_config: { service_ipv4_cidr: "172.20.0.0/16", ip_family: "ipv4" },
      deletion_protection: false,
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 30 });
  });

  it("grants each admin principal cluster admin through an access entry", () => {
    const { synthesized, json } = synthExtended({ ...extendedProps, adminPrincipalArns: [ADMIN_ROLE, ADMIN_USER] });
    const clusterId = onlyId(json.resource.aws_eks_cluster);
    const partition = `\${data.aws_partition.${onlyId(json.data.aws_partition)}.partition}`;
    for (const principal of [ADMIN_ROLE, ADMIN_USER]) {
      expect(synthesized).toHaveResourceWithProperties(EksAccessEntry, {
        cluster_name: `\${aws_eks_cluster.${clusterId}.name}`,
        principal_arn: principal,
        type: "STANDARD",
      });
    }
    const entries = json.resource.aws_eks_access_entry;
    const associations = Object.values(json.resource.aws_eks_access_policy_association) as any[];
    expect(associations).toHaveLength(2);
    for (const association of associations) {
      const entryId = association.principal_arn.replace(/^\$\{aws_eks_access_entry\.([^.]+)\.principal_arn\}$/, "$1");
      expect(entries[entryId]).toBeDefined();
      expect(association.policy_arn).toBe(clusterAdminAccessPolicyArn(partition));
      expect(association.access_scope).toEqual({ type: "cluster" });
    }
    expect(synthesized).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      policy_arn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
    });
    expect(clusterAdminAccessPolicyArn("aws-us-gov")).toBe("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  });

  it("keeps admins apart whose names collide: one name in two accounts, or a path that reads like a name", () => {
    const admins = ["arn:aws:iam::111111111111:role/Admin", "arn:aws:iam::222222222222:role/Admin", "arn:aws:iam::111111111111:role/team/Admin", "arn:aws:iam::111111111111:role/team-Admin"];
    const { json } = synthExtended({ ...extendedProps, adminPrincipalArns: admins });
    const entries = Object.values(json.resource.aws_eks_access_entry) as any[];
    expect(entries.map((entry) => entry.principal_arn).sort()).toEqual([...admins].sort());
    expect(Object.keys(json.resource.aws_eks_access_policy_association)).toHaveLength(4);
    // A principal whose short key is unique keeps its ID, so deployed entries are not replaced.
    const single = synthExtended({ ...extendedProps, adminPrincipalArns: [ADMIN_USER] }).json;
    expect(Object.keys(single.resource.aws_eks_access_entry)[0]).toMatch(/^control-plane_admin-user-alice_/);
  });
});

describe("EksExtendedControlPlane caller entry", () => {
  it("by default adds an admin entry for the session's issuer, counted out when it is a named admin", () => {
    const { json } = synthExtended({ ...extendedProps, callerAdminAccessEntry: undefined, adminPrincipalArns: [ADMIN_ROLE] });
    const session = onlyId(json.data.aws_iam_session_context);
    const counted = (Object.values(json.resource.aws_eks_access_entry) as any[]).filter((entry) => entry.count !== undefined);
    expect(counted).toEqual([
      expect.objectContaining({
        principal_arn: `\${data.aws_iam_session_context.${session}.issuer_arn}`,
        count: `\${contains(["${ADMIN_ROLE.toLowerCase()}"], lower(data.aws_iam_session_context.${session}.issuer_arn)) ? 0 : 1}`,
      }),
    ]);
    expect(json.resource.aws_eks_cluster[onlyId(json.resource.aws_eks_cluster)].access_config.bootstrap_cluster_creator_admin_permissions).toBe(false);
  });
});

describe("EksExtendedControlPlane construction errors", () => {
  it("refuses a public endpoint without publicAccessCidrs", () => {
    expect(() => synthExtended({ ...extendedProps, endpointPublicAccess: true })).toThrow(
      /stack\/control-plane: a public endpoint needs explicit publicAccessCidrs/,
    );
  });

  it("refuses a public endpoint with an empty publicAccessCidrs", () => {
    expect(() => synthExtended({ ...extendedProps, endpointPublicAccess: true, publicAccessCidrs: [] })).toThrow(
      /a public endpoint needs explicit publicAccessCidrs/,
    );
  });
});

describe("defaultSpreadLevel", () => {
  it("spreads across hosts for 1-2 racks and across racks for 3 or more", () => {
    expect([1, 2, 3, 4].map(defaultSpreadLevel)).toEqual(["host", "host", "rack", "rack"]);
  });
});

describe("EksLocalControlPlane: a classic local cluster", () => {
  const { plane, synthesized, json } = synthLocal(localProps);
  const cluster = only(json.resource.aws_eks_cluster);
  const clusterId = onlyId(json.resource.aws_eks_cluster);

  it("creates the cluster role, trusted by ec2.amazonaws.com, with AmazonEKSLocalOutpostClusterPolicy", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "edge-local-cluster" });
    // No aws:SourceArn/SourceAccount: AWS documents none for this trust (the control-plane instances assume it).
    expect(only(json.data.aws_iam_policy_document).statement).toEqual([
      { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
    ]);
    expect(only(json.resource.aws_iam_role_policy_attachment).policy_arn).toMatch(/:iam::aws:policy\/AmazonEKSLocalOutpostClusterPolicy$/);
  });

  it("places the control plane in a host-level spread placement group for one rack", () => {
    expect(synthesized).toHaveResourceWithProperties(PlacementGroup, { name: "edge-local-control-plane", strategy: "spread", spread_level: "host" });
    const groupId = onlyId(json.resource.aws_placement_group);
    expect(cluster.outpost_config).toEqual({
      control_plane_instance_type: "m5d.large",
      outpost_arns: [RACK_ARN],
      control_plane_placement: { group_name: `\${aws_placement_group.${groupId}.name}` },
    });
    expect(plane.spreadLevel).toBe("host");
  });

  it("creates a private CONFIG_MAP cluster on the Outpost subnet, with no encryption or OIDC", () => {
    expect(synthesized).toHaveResourceWithProperties(EksCluster, {
      name: "edge-local",
      version: "1.32",
      vpc_config: { subnet_ids: ["subnet-0outpost"], endpoint_private_access: true, endpoint_public_access: false },
      access_config: { authentication_mode: "CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: true },
      enabled_cluster_log_types: [...CONTROL_PLANE_LOG_TYPES],
      deletion_protection: true,
    });
    expect(cluster.encryption_config).toBeUndefined();
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(json.resource.aws_eks_access_entry).toBeUndefined();
    expect(plane.authenticationMode).toBe("CONFIG_MAP");
  });

  it("checks before creating it that the Outpost is a rack that offers the control-plane instance type", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsOutpostsOutpost, { arn: RACK_ARN });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsOutpostsOutpostInstanceTypes, { arn: RACK_ARN });
    const outpostId = onlyId(json.data.aws_outposts_outpost);
    const typesId = onlyId(json.data.aws_outposts_outpost_instance_types);
    expect(cluster.lifecycle.precondition.map((check: any) => check.condition)).toEqual([
      `\${(data.aws_outposts_outpost.${outpostId}.supported_hardware_type == "RACK")}`,
      `\${contains(tolist(data.aws_outposts_outpost_instance_types.${typesId}.instance_types), "m5d.large")}`,
    ]);
  });

  it("lets each API client CIDR reach the API on 443", () => {
    for (const [name, cidr] of Object.entries(localProps.apiClientCidrs)) {
      expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: `\${aws_eks_cluster.${clusterId}.vpc_config[0].cluster_security_group_id}`,
        cidr_ipv4: cidr,
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        description: `Kubernetes API from ${name}`,
      });
    }
  });

  it("keeps the provider's own version constraint", () => {
    expect(json.terraform.required_providers.aws.version).not.toBe(awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER));
  });
});

describe("EksLocalControlPlane options", () => {
  it("spreads across racks for three racks, unless a spread level is given", () => {
    expect(synthLocal({ ...localProps, rackCount: 3 }).synthesized).toHaveResourceWithProperties(PlacementGroup, { spread_level: "rack" });
    expect(synthLocal({ ...localProps, rackCount: 3, spreadLevel: "host" }).synthesized).toHaveResourceWithProperties(PlacementGroup, {
      spread_level: "host",
    });
  });

  it("sets the service CIDR, log retention and deletion protection from props", () => {
    const { synthesized } = synthLocal({ ...localProps, serviceIpv4Cidr: "172.21.0.0/16", logRetentionDays: 7, deletionProtection: false });
    expect(synthesized).toHaveResourceWithProperties(EksCluster, {
      kubernetes_network_config: { service_ipv4_cidr: "172.21.0.0/16", ip_family: "ipv4" },
      deletion_protection: false,
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/edge-local/cluster", retention_in_days: 7 });
  });

  it("instance store: no placement group, etcd instances and spread levels, and an aws provider new enough", () => {
    const { plane, json } = synthLocal({ ...localProps, rackCount: 3, instanceStore: { etcdInstanceType: "r5d.large" } }, INSTANCE_STORE_MIN_AWS_PROVIDER);
    expect(json.resource.aws_placement_group).toBeUndefined();
    expect(plane.placementGroupName).toBe("");
    const cluster = only(json.resource.aws_eks_cluster);
    expect(cluster.outpost_config).toEqual({
      control_plane_instance_type: "m5d.large",
      outpost_arns: [RACK_ARN],
      etcd_instance_type: "r5d.large",
      etcd_placement: { spread_level: "rack" },
      control_plane_placement: { spread_level: "rack" },
    });
    expect(cluster.lifecycle.precondition.map((check: any) => check.error_message)).toEqual([
      `Outpost ${RACK_ARN} is not an Outposts rack: EKS local clusters run on racks only.`,
      `Outpost ${RACK_ARN} does not offer m5d.large; see aws outposts get-outpost-instance-types.`,
      `Outpost ${RACK_ARN} does not offer r5d.large; see aws outposts get-outpost-instance-types.`,
    ]);
    expect(json.terraform.required_providers.aws.version).toBe("~> 6.51");
    expect(INSTANCE_STORE_MIN_AWS_PROVIDER).toBe("6.51.0");
  });
});

describe("EksLocalControlPlane construction errors", () => {
  const instanceStore = { ...localProps, instanceStore: { etcdInstanceType: "r5d.large" } };

  it("refuses the instance-store architecture on a stack that does not require aws >= 6.51.0", () => {
    expect(() => synthLocal(instanceStore)).toThrow(
      /control-plane\/control-plane\/cluster: outpost_config\.etcd_instance_type, .* need hashicorp\/aws >= 6\.51\.0; call requireAwsProviderVersion/,
    );
  });

  it("refuses it on a stack that requires an older aws provider", () => {
    expect(() => synthLocal(instanceStore, "6.50.0")).toThrow(/need hashicorp\/aws >= 6\.51\.0/);
  });
});
