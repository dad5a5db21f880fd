/**
 * OutpostNodeGroup: the launch template (IMDSv2, encrypted EBS on racks, LNI on servers, user data
 * through a Terraform local) and the Auto Scaling group (NTH lifecycle hook and tags), with plan-time
 * checks of the Outpost; OutpostSpreadPlacement; and the user-data builders of user-data.ts.
 */
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { parse } from "yaml";
import {
  al2BootstrapScript,
  bottlerocketSettingsToml,
  ClusterJoin,
  CNI_NO_MANAGE_TAG,
  eksOptimizedAmiParameter,
  endpointWithoutPort,
  escapeTerraformTemplate,
  hostsToml,
  lniSetupScript,
  lniTaggingStatements,
  MIME_BOUNDARY,
  nodeConfigYaml,
  nodeUserData,
  NTH_MANAGED_TAG,
  OutpostNodeGroup,
  OutpostNodeGroupProps,
  OutpostSpreadPlacement,
  registryMirrorScript,
  taintList,
  TERMINATION_LIFECYCLE_HOOK,
} from "../../modules/outpost-node-group";

const RACK_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0rack0000000000001";
const SERVER_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0server000000000001";
const PROFILE_ARN = "arn:aws:iam::111122223333:instance-profile/edge-node";

const cluster: ClusterJoin = {
  clusterName: "edge",
  endpoint: "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com",
  certificateAuthorityData: "Q0FEQVRB",
  serviceIpv4Cidr: "172.20.0.0/16",
  dnsClusterIp: "172.20.0.10",
};
const localCluster: ClusterJoin = { ...cluster, endpoint: "https://10.20.64.10:443", localClusterId: "0123abcd-local" };

const rack: OutpostNodeGroupProps = {
  name: "edge-rack-a",
  clusterName: "edge",
  kubernetesVersion: "1.33",
  outpostArn: RACK_ARN,
  formFactor: "rack",
  subnetId: "subnet-0rack",
  securityGroupIds: ["sg-0nodes"],
  instanceProfileArn: PROFILE_ARN,
  instanceType: "m5d.xlarge",
  minSize: 1,
  maxSize: 4,
  desiredSize: 2,
  cluster,
  amiFamily: "al2023",
  architecture: "x86_64",
  metadataHopLimit: 1,
  labels: { "outposts-eks/outpost": "rack-a" },
  tags: { team: "platform" },
};

const server: OutpostNodeGroupProps = {
  ...rack,
  name: "edge-server-a",
  outpostArn: SERVER_ARN,
  formFactor: "server",
  subnetId: "subnet-0server",
  instanceType: "c6id.2xlarge",
  lni: { deviceIndex: 1, addressing: { mode: "dhcp" } },
};

function synth(props: OutpostNodeGroupProps): { group: OutpostNodeGroup; synthesized: string; json: any } {
  let group!: OutpostNodeGroup;
  const synthesized = Testing.synthScope((scope) => {
    group = new OutpostNodeGroup(scope, "nodes", props);
  });
  return { group, synthesized, json: JSON.parse(synthesized) };
}

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

/** The user-data local the launch template encodes. */
function userDataLocal(json: any): string {
  const template = only(json.resource.aws_launch_template);
  const localName = template.user_data.replace(/^\$\{base64encode\(local\.([^)]+)\)\}$/, "$1");
  return json.locals[localName];
}

describe("OutpostNodeGroup on a rack (AL2023, the AMI's own volume)", () => {
  const { group, synthesized, json } = synth(rack);
  const template = only(json.resource.aws_launch_template);

  it("looks up the EKS-optimized AL2023 AMI in SSM and uses it", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id",
    });
    expect(template.image_id).toBe(`\${data.aws_ssm_parameter.${onlyId(json.data.aws_ssm_parameter)}.insecure_value}`);
    expect(json.data.aws_ami).toBeUndefined();
  });

  it("requires IMDSv2 with the hop limit given, and no instance tags in metadata", () => {
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" },
    });
  });

  it("launches the instance type with the instance profile in the Outpost subnet, with the node security groups", () => {
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, {
      name: "edge-rack-a",
      description: "EKS nodes of edge on an Outposts rack",
      instance_type: "m5d.xlarge",
      iam_instance_profile: { arn: PROFILE_ARN },
      update_default_version: true,
      monitoring: { enabled: true },
      network_interfaces: [{ device_index: 0, subnet_id: "subnet-0rack", security_groups: ["sg-0nodes"], delete_on_termination: "true" }],
      tag_specifications: [{ resource_type: "instance", tags: { Name: "edge-rack-a", team: "platform" } }],
    });
  });

  it("keeps the AMI's own volume when no root volume is given", () => {
    expect(template.block_device_mappings).toBeUndefined();
  });

  it("checks before creating the template that the Outpost offers the instance type", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsOutpostsOutpostInstanceTypes, { arn: RACK_ARN });
    const typesId = onlyId(json.data.aws_outposts_outpost_instance_types);
    const typeInfoId = onlyId(json.data.aws_ec2_instance_type);
    expect(template.lifecycle.precondition).toEqual([
      {
        condition: `\${contains(tolist(data.aws_outposts_outpost_instance_types.${typesId}.instance_types), "m5d.xlarge")}`,
        error_message: "Node group edge-rack-a: the Outpost does not offer m5d.xlarge; see aws outposts get-outpost-instance-types.",
      },
      {
        condition: `\${contains(data.aws_ec2_instance_type.${typeInfoId}.supported_architectures, "x86_64")}`,
        error_message: "Node group edge-rack-a: m5d.xlarge does not run x86_64 AMIs; set ami.architecture to the type's architecture.",
      },
    ]);
  });

  it("encodes the user data from a local: a MIME document with the nodeadm NodeConfig", () => {
    const userData = userDataLocal(json);
    expect(userData).toBe(group.userData);
    expect(userData).toContain(`Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`);
    const [, nodeConfig] = userData.split("Content-Type: application/node.eks.aws\n\n");
    const config = parse(nodeConfig.split(`\n--${MIME_BOUNDARY}--`)[0]);
    expect(config.spec.cluster).toEqual({
      name: "edge",
      apiServerEndpoint: cluster.endpoint,
      certificateAuthority: "Q0FEQVRB",
      cidr: "172.20.0.0/16",
    });
    expect(config.spec.kubelet.flags).toEqual(["--node-labels=outposts-eks/outpost=rack-a"]);
  });

  it("creates the Auto Scaling group on the launch template's latest version, in the subnet", () => {
    const templateId = onlyId(json.resource.aws_launch_template);
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      name: "edge-rack-a",
      min_size: 1,
      max_size: 4,
      desired_capacity: 2,
      vpc_zone_identifier: ["subnet-0rack"],
      capacity_rebalance: false,
      launch_template: { id: `\${aws_launch_template.${templateId}.id}`, version: `\${aws_launch_template.${templateId}.latest_version}` },
      lifecycle: { ignore_changes: ["desired_capacity"] },
    });
    expect(only(json.resource.aws_autoscaling_group).placement_group).toBeUndefined();
  });

  it("has NTH's terminate lifecycle hook and the cluster, NTH and custom tags, propagated", () => {
    const asg = only(json.resource.aws_autoscaling_group);
    expect(asg.initial_lifecycle_hook).toEqual([
      { name: "node-termination-handler", lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING", default_result: "CONTINUE", heartbeat_timeout: 300 },
    ]);
    expect(TERMINATION_LIFECYCLE_HOOK.heartbeatTimeout).toBe(300);
    expect(asg.tag).toEqual([
      { key: "kubernetes.io/cluster/edge", value: "owned", propagate_at_launch: true },
      { key: NTH_MANAGED_TAG, value: "true", propagate_at_launch: true },
      { key: "team", value: "platform", propagate_at_launch: true },
    ]);
  });
});

describe("OutpostNodeGroup options", () => {
  it("rack root volume: an encrypted EBS volume of the size and type given, and hop limit 2", () => {
    const { synthesized } = synth({ ...rack, rootVolume: { sizeGiB: 100, type: "gp2" }, metadataHopLimit: 2 });
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, {
      block_device_mappings: [
        { device_name: "/dev/xvda", ebs: { volume_size: 100, volume_type: "gp2", encrypted: "true", delete_on_termination: "true" } },
      ],
      metadata_options: expect.objectContaining({ http_put_response_hop_limit: 2, http_tokens: "required" }),
    });
  });

  it("Bottlerocket on a rack: its SSM parameter, the data volume on /dev/xvdb, and TOML user data", () => {
    const { synthesized, json } = synth({ ...rack, amiFamily: "bottlerocket", architecture: "arm64", rootVolume: { sizeGiB: 80, type: "gp2" } });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id" });
    expect(only(json.resource.aws_launch_template).block_device_mappings[0].device_name).toBe("/dev/xvdb");
    const userData = userDataLocal(json);
    expect(userData.startsWith("[settings.kubernetes]\n")).toBe(true);
    expect(userData).not.toContain("MIME-Version");
  });

  it("an explicit AMI replaces the SSM lookup; a placement group goes to the ASG", () => {
    const { synthesized, json } = synth({ ...rack, amiId: "ami-0123456789abcdef0", placementGroupName: "edge-rack-a-spread" });
    expect(json.data.aws_ssm_parameter).toBeUndefined();
    expect(synthesized).toHaveResourceWithProperties(LaunchTemplate, { image_id: "ami-0123456789abcdef0" });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, { placement_group: "edge-rack-a-spread" });
  });

  it("AL2 on arm64: the AL2 SSM parameter and a bootstrap.sh script", () => {
    const { synthesized, json } = synth({ ...rack, amiFamily: "al2", architecture: "arm64" });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/eks/optimized-ami/1.33/amazon-linux-2-arm64/recommended/image_id" });
    expect(userDataLocal(json)).toContain("/etc/eks/bootstrap.sh 'edge'");
  });
});

describe("OutpostNodeGroup on a server with an LNI", () => {
  const { synthesized, json } = synth({ ...server, amiId: "ami-0server" });
  const template = only(json.resource.aws_launch_template);

  it("has no EBS volume and a second interface in the same subnet at the LNI device index", () => {
    expect(template.block_device_mappings).toBeUndefined();
    expect(template.description).toBe("EKS nodes of edge on an Outposts server");
    expect(template.network_interfaces).toEqual([
      { device_index: 0, subnet_id: "subnet-0server", security_groups: ["sg-0nodes"], delete_on_termination: "true" },
      { device_index: 1, subnet_id: "subnet-0server", delete_on_termination: "true" },
    ]);
  });

  it("checks before creating the template that the AMI has exactly one EBS snapshot", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsAmi, { include_deprecated: true, filter: [{ name: "image-id", values: ["ami-0server"] }] });
    const amiId = onlyId(json.data.aws_ami);
    const snapshotsLocal = Object.keys(json.locals).find((name) => name.includes("ami-snapshots"))!;
    expect(json.locals[snapshotsLocal]).toContain(`data.aws_ami.${amiId}.block_device_mappings`);
    const conditions = template.lifecycle.precondition.map((check: Record<string, string>) => check.condition);
    expect(conditions[0]).toContain('"c6id.2xlarge"');
    expect(conditions).toContain(`\${(length(local.${snapshotsLocal}) == 1)}`);
  });

  it("brings the LNI up first, then joins; shell ${...} is escaped for Terraform", () => {
    const userData = userDataLocal(json);
    const lniAt = userData.indexOf("# Bring up the local network interface (device index 1)");
    const joinAt = userData.indexOf("Content-Type: application/node.eks.aws");
    expect(lniAt).toBeGreaterThan(0);
    expect(joinAt).toBeGreaterThan(lniAt);
    expect(userData).toContain("LNI_MAC=$${mac%/}");
    expect(userData).not.toMatch(/[^$]\$\{mac/);
  });

  it("reads instance metadata with curl -f and retries, so an IMDS error body never becomes a value", () => {
    const script = lniSetupScript({ deviceIndex: 1, addressing: { mode: "dhcp", routes: ["10.50.0.0/16"] } });
    expect(script.match(/curl [^|;\n]*169\.254\.169\.254/g)?.map((call) => call.startsWith("curl -fsS --retry 5 --retry-connrefused "))).toEqual([true, true]);
  });

  it("in DHCP mode, logs an error when the first routed site network does not leave by the LNI (no router from the site's DHCP)", () => {
    const routed = lniSetupScript({ deviceIndex: 1, addressing: { mode: "dhcp", routes: ["10.50.0.0/16", "10.60.0.0/16"] } });
    expect(routed).toContain('\nif ! ip -4 -o route get 10.50.0.0 | grep -q " dev $DEVICE "; then');
    expect(routed).toContain("does the site's DHCP server give a router (option 3)?");
    expect(lniSetupScript({ deviceIndex: 1, addressing: { mode: "dhcp" } })).not.toContain("route get");
  });
});

describe("OutpostNodeGroup construction errors", () => {
  it("refuses a root volume on a server", () => {
    expect(() => synth({ ...server, rootVolume: { sizeGiB: 50, type: "gp2" } })).toThrow(/stack\/nodes: Outposts servers have no EBS; remove rootVolume/);
  });

  it("refuses an LNI on a rack", () => {
    expect(() => synth({ ...rack, lni: { deviceIndex: 1, addressing: { mode: "dhcp" } } })).toThrow(
      /stack\/nodes: local network interfaces exist only on Outposts servers/,
    );
  });

  it("refuses Bottlerocket on a server", () => {
    expect(() => synth({ ...server, lni: undefined, amiFamily: "bottlerocket" })).toThrow(
      /stack\/nodes: Bottlerocket AMIs have two snapshots; Outposts servers boot single-snapshot AMIs only/,
    );
  });
});

describe("OutpostSpreadPlacement", () => {
  it("creates a spread placement group at the level given", () => {
    let placement!: OutpostSpreadPlacement;
    const synthesized = Testing.synthScope((scope) => {
      placement = new OutpostSpreadPlacement(scope, "spread", { name: "edge-rack-a", spreadLevel: "rack" });
    });
    expect(synthesized).toHaveResourceWithProperties(PlacementGroup, { name: "edge-rack-a", strategy: "spread", spread_level: "rack" });
    expect(typeof placement.placementGroupName).toBe("string");
  });
});

describe("eksOptimizedAmiParameter", () => {
  it("names the public SSM parameter of each family and architecture", () => {
    expect(eksOptimizedAmiParameter("1.32", "al2023", "arm64")).toBe("/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/arm64/standard/recommended/image_id");
    expect(eksOptimizedAmiParameter("1.32", "al2", "x86_64")).toBe("/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id");
    expect(eksOptimizedAmiParameter("1.32", "bottlerocket", "x86_64")).toBe("/aws/service/bottlerocket/aws-k8s-1.32/x86_64/latest/image_id");
  });
});

describe("user data builders", () => {
  const taints = [
    { key: "dedicated", value: "edge", effect: "NoSchedule" as const },
    { key: "dedicated", value: "", effect: "NoExecute" as const },
  ];

  it("nodeConfigYaml: a local cluster's ID, outpost mode, and its endpoint without a port", () => {
    const config = parse(nodeConfigYaml(localCluster, {}, []));
    expect(config.spec.cluster).toEqual({
      name: "edge",
      apiServerEndpoint: "https://10.20.64.10",
      certificateAuthority: "Q0FEQVRB",
      cidr: "172.20.0.0/16",
      enableOutpost: true,
      id: "0123abcd-local",
    });
    expect(config.spec.kubelet).toBeUndefined();
  });

  it("nodeConfigYaml: labels and taints as kubelet flags", () => {
    const config = parse(nodeConfigYaml(cluster, { a: "1", b: "2" }, taints));
    expect(config.spec.kubelet.flags).toEqual(["--node-labels=a=1,b=2", "--register-with-taints=dedicated=edge:NoSchedule,dedicated=:NoExecute"]);
    expect(taintList(taints)).toBe("dedicated=edge:NoSchedule,dedicated=:NoExecute");
  });

  it("al2BootstrapScript: the local-outpost flags and kubelet extra args", () => {
    const script = al2BootstrapScript(localCluster, { a: "1" }, taints.slice(0, 1));
    expect(script.startsWith("#!/bin/bash\nset -euo pipefail\n/etc/eks/bootstrap.sh 'edge'")).toBe(true);
    expect(script).toContain("--dns-cluster-ip '172.20.0.10'");
    expect(script).toContain("--enable-local-outpost true");
    expect(script).toContain("--cluster-id '0123abcd-local'");
    expect(script).toContain("--kubelet-extra-args '--node-labels=a=1 --register-with-taints=dedicated=edge:NoSchedule'");
    expect(al2BootstrapScript(cluster, {})).not.toContain("--enable-local-outpost");
  });

  it("endpointWithoutPort: strips a port from a literal, and through replace() from a token", () => {
    expect(endpointWithoutPort("https://10.20.64.10:443")).toBe("https://10.20.64.10");
    expect(endpointWithoutPort(cluster.endpoint)).toBe(cluster.endpoint);
    const synthesized = JSON.parse(
      Testing.synthScope((scope) => {
        const endpoint = new TerraformVariable(scope, "endpoint", { type: "string" });
        new TerraformOutput(scope, "stripped", { value: endpointWithoutPort(endpoint.stringValue) });
      }),
    );
    expect(synthesized.output.stripped.value).toBe('${replace(var.endpoint, "/:[0-9]+$/", "")}');
  });

  it("bottlerocketSettingsToml: cluster settings, labels, taints grouped by key, and mirrors", () => {
    const toml = bottlerocketSettingsToml({
      amiFamily: "bottlerocket",
      cluster: localCluster,
      labels: { "outposts-eks/outpost": "rack-a" },
      taints,
      registryMirrors: [{ upstream: "docker.io", host: "mirror.example.com:5000" }],
    });
    expect(toml.split("\n")).toEqual([
      "[settings.kubernetes]",
      'cluster-name = "edge"',
      'api-server = "https://10.20.64.10"',
      'cluster-certificate = "Q0FEQVRB"',
      'cluster-dns-ip = "172.20.0.10"',
      "",
      "[settings.kubernetes.node-labels]",
      '"outposts-eks/outpost" = "rack-a"',
      "",
      "[settings.kubernetes.node-taints]",
      '"dedicated" = ["edge:NoSchedule", ":NoExecute"]',
      "",
      "[[settings.container-registry.mirrors]]",
      'registry = "docker.io"',
      'endpoint = ["https://mirror.example.com:5000"]',
      "",
    ]);
  });

  it("nodeUserData: LNI script, then registry mirrors, then the join, as MIME parts", () => {
    const userData = nodeUserData({
      amiFamily: "al2023",
      cluster,
      labels: {},
      lni: { deviceIndex: 1, addressing: { mode: "dhcp" } },
      registryMirrors: [{ upstream: "docker.io", host: "mirror.example.com" }],
    });
    const parts = userData.split(`--${MIME_BOUNDARY}`);
    expect(parts).toHaveLength(5);
    expect(parts[1]).toContain("Bring up the local network interface");
    expect(parts[2]).toContain("/etc/containerd/certs.d/docker.io/hosts.toml");
    expect(parts[3]).toContain("Content-Type: application/node.eks.aws");
    expect(parts[4]).toBe("--\n");
  });

  it("nodeUserData: refuses Bottlerocket with an LNI", () => {
    expect(() => nodeUserData({ amiFamily: "bottlerocket", cluster, labels: {}, lni: { deviceIndex: 1, addressing: { mode: "dhcp" } } })).toThrow(
      /Bottlerocket cannot run on an Outposts server/,
    );
  });

  it("hostsToml and registryMirrorScript: Docker Hub's server, a path prefix with override_path", () => {
    expect(hostsToml({ upstream: "docker.io", host: "mirror.example.com", pathPrefix: "dockerhub" })).toBe(
      'server = "https://registry-1.docker.io"\n\n[host."https://mirror.example.com/v2/dockerhub"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
    );
    expect(hostsToml({ upstream: "quay.io", host: "mirror.example.com" })).not.toContain("override_path");
    const script = registryMirrorScript([{ upstream: "quay.io", host: "mirror.example.com" }]);
    expect(script).toContain("mkdir -p /etc/containerd/certs.d/quay.io\ncat > /etc/containerd/certs.d/quay.io/hosts.toml <<'HOSTS'\nserver = \"https://quay.io\"");
  });

  it("escapeTerraformTemplate: escapes ${ and %{ only", () => {
    expect(escapeTerraformTemplate("a ${b} %{c} $d %e")).toBe("a $${b} %%{c} $d %e");
  });

  it("lniSetupScript static: tries each address, and writes routes via the gateway", () => {
    const script = lniSetupScript({
      deviceIndex: 1,
      addressing: { mode: "static", addresses: ["192.168.10.21/24", "192.168.10.22/24"], gateway: "192.168.10.1", routes: ["192.168.0.0/16"] },
    });
    expect(script).toContain("for candidate in 192.168.10.21/24 192.168.10.22/24; do");
    expect(script).toContain("printf '\\n[Route]\\nDestination=192.168.0.0/16\\nGateway=192.168.10.1\\n' >> /etc/systemd/network/60-outposts-lni.network");
    expect(script).toContain(`--tags Key=${CNI_NO_MANAGE_TAG},Value=true`);
    expect(script).not.toContain("DHCP=ipv4");
  });

  it("lniTaggingStatements: CreateTags of the no_manage tag only, on interfaces in the LNI subnets, in the partition", () => {
    const [statement] = lniTaggingStatements("aws-us-gov", ["subnet-0server"]);
    expect(statement.actions).toEqual(["ec2:CreateTags"]);
    expect(statement.resources).toEqual(["arn:aws-us-gov:ec2:*:*:network-interface/*"]);
    expect(statement.condition).toEqual([
      { test: "ArnLike", variable: "ec2:Subnet", values: ["arn:aws-us-gov:ec2:*:*:subnet/subnet-0server"] },
      { test: "StringEquals", variable: `aws:RequestTag/${CNI_NO_MANAGE_TAG}`, values: ["true"] },
      { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: [CNI_NO_MANAGE_TAG] },
    ]);
  });
});

describe("OutpostNodeGroup: a pinned AMI release AWS never published", () => {
  it("lists the release's parameter path first, and fails the plan naming the group, the release and the parameter", () => {
    const { json } = synth({ ...rack, amiRelease: "v20990101" });
    const name = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20990101/image_id";
    const lookupId = onlyId(json.data.aws_ssm_parameters_by_path);
    const lookup = json.data.aws_ssm_parameters_by_path[lookupId];
    expect(lookup.path).toBe(name.slice(0, -"/image_id".length));
    expect(lookup.with_decryption).toBe(false);
    const [check] = lookup.lifecycle.postcondition;
    expect(check.condition).toBe(`\${contains(self.names, "${name}")}`);
    expect(check.error_message).toMatch(/^Node group edge-rack-a: AWS publishes no al2023 AMI release v20990101 for Kubernetes 1\.33 \(x86_64\)/);
    expect(only(json.data.aws_ssm_parameter)).toMatchObject({ name, depends_on: [`data.aws_ssm_parameters_by_path.${lookupId}`] });
  });

  it("lists nothing for the recommended AMI, which AWS publishes for every version it supports", () => {
    const { json } = synth(rack);
    expect(json.data.aws_ssm_parameters_by_path).toBeUndefined();
    expect(only(json.data.aws_ssm_parameter).depends_on).toBeUndefined();
  });
});
