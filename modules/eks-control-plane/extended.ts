/**
 * An EKS *extended cluster*: the control plane in the Region, on regional private subnets, with
 * workers on Outposts. Secrets encrypted with a dedicated KMS key, all control-plane logs, access
 * entries (API_AND_CONFIG_MAP), an IAM OIDC provider for IRSA, and cluster security-group rules
 * that let the Outpost subnets reach the API on 443 (CIDRs: security-group references do not cross
 * the customer network between Outposts).
 */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { IamRoleOptions, tagResources } from "../shared/resource-options";
import { selfAttribute } from "../shared/plan-checks";
import {
  bootstrapCreatorAdmin,
  CONTROL_PLANE_LOG_TYPES,
  createAdminAccessEntries,
  createCallerAdminAccessEntry,
  createClusterRole,
  createControlPlaneLogGroup,
  createOidcProvider,
  EksControlPlaneBase,
} from "./common";

export interface EksExtendedControlPlaneProps {
  readonly clusterName: string;
  /** Kubernetes minor version, such as "1.33". */
  readonly kubernetesVersion: string;
  /** Name of the cluster IAM role. */
  readonly clusterRoleName: string;
  /** Regional private subnets for the control plane's ENIs, in at least two AZs. */
  readonly subnetIds: readonly string[];
  /** Outpost subnet CIDRs by Outpost name; each may reach the API on 443. */
  readonly outpostSubnetCidrs: Readonly<Record<string, string>>;
  /**
   * Public API endpoint.
   * @default false (private only)
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs for a public endpoint; required when it is on.
   * @default - none (required when endpointPublicAccess is true)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Control-plane log retention in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * The Region, for the control-plane log group's own KMS key (logs.<region>.amazonaws.com may use
   * it for that log group only).
   * @default - no key: CloudWatch Logs' own encryption
   */
  readonly logKeyRegion?: string;
  /**
   * EKS deletion protection.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * IAM principals granted cluster admin through access entries.
   * @default none
   */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * An admin access entry for the identity that runs apply (the issuer of its session), unless it
   * is among `adminPrincipalArns`. EKS's own creator entry (`bootstrap_cluster_creator_admin_permissions`)
   * is off: it would collide with an explicit entry for the same principal.
   * @default true
   */
  readonly callerAdminAccessEntry?: boolean;
  /**
   * Kubernetes service CIDR.
   * @default chosen by EKS
   */
  readonly serviceIpv4Cidr?: string;
  /**
   * An existing KMS key (ARN) for envelope encryption of Kubernetes secrets; its key policy must let
   * the cluster role use it.
   * @default - a new key with rotation, aliased alias/eks/<clusterName>
   */
  readonly secretsKmsKeyArn?: string;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of the cluster IAM role.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

export class EksExtendedControlPlane extends EksControlPlaneBase {
  /** ARN of the IAM OIDC provider, for IRSA roles. */
  readonly oidcProviderArn: string;
  /** Issuer URL without the scheme, as IRSA trust policies use it. */
  readonly oidcProviderUrl: string;
  readonly kmsKeyArn: string;
  readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, props: EksExtendedControlPlaneProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const endpointPublicAccess = props.endpointPublicAccess ?? false;
    if (endpointPublicAccess && (props.publicAccessCidrs ?? []).length === 0) {
      throw new Error(`${this.node.path}: a public endpoint needs explicit publicAccessCidrs`);
    }

    const { role, attachments, partition } = createClusterRole(this, {
      roleName: props.clusterRoleName,
      clusterName: props.clusterName,
      trustedService: "eks.amazonaws.com",
      managedPolicies: ["AmazonEKSClusterPolicy"],
      iamRoleOptions: props.iamRoleOptions,
    });
    const logGroup = createControlPlaneLogGroup(this, props.clusterName, props.logRetentionDays ?? 90, props.logKeyRegion);

    // The cluster's subnets "can't reside in AWS Outposts" (EKS User Guide, network requirements);
    // regional subnets in an Outpost's parent AZ are fine (seed 002). Read back from AWS, since the
    // IDs come from remote state.
    props.subnetIds.forEach((subnetId, i) => {
      new DataAwsSubnet(this, `cluster-subnet-${i}`, {
        id: subnetId,
        lifecycle: {
          postcondition: [
            {
              // coalesce skips both "" and null: a regional subnet has no Outpost ARN.
              condition: Op.eq(Fn.coalesce([selfAttribute("outpost_arn"), "regional"]), "regional"),
              errorMessage: `Cluster subnet ${i} lies on an Outpost; an extended cluster's subnets must be regional (EKS User Guide, network requirements).`,
            },
          ],
        },
      });
    });

    let secretsKeyArn = props.secretsKmsKeyArn;
    if (secretsKeyArn === undefined) {
      const secretsKey = new KmsKey(this, "secrets-key", {
        description: `EKS secrets encryption for ${props.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      new KmsAlias(this, "secrets-key-alias", { name: `alias/eks/${props.clusterName}`, targetKeyId: secretsKey.keyId });
      secretsKeyArn = secretsKey.arn;
    }


    this.cluster = new EksCluster(this, "cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess,
        publicAccessCidrs: endpointPublicAccess ? [...(props.publicAccessCidrs ?? [])] : undefined,
      },
      accessConfig: {
        authenticationMode: "API_AND_CONFIG_MAP",
        // Off: the caller's entry is explicit (createCallerAdminAccessEntry), so it cannot collide
        // with an adminPrincipalArns entry for the same principal.
        bootstrapClusterCreatorAdminPermissions: bootstrapCreatorAdmin("API_AND_CONFIG_MAP"),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKeyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      kubernetesNetworkConfig: props.serviceIpv4Cidr ? { serviceIpv4Cidr: props.serviceIpv4Cidr, ipFamily: "ipv4" } : undefined,
      deletionProtection: props.deletionProtection ?? true,
      dependsOn: [logGroup, ...attachments],
      // EKS cannot change the setting on an existing cluster, so the provider would replace it:
      // clusters created before keep EKS's creator entry (CHANGELOG 0.3.0).
      lifecycle: { ignoreChanges: ["access_config[0].bootstrap_cluster_creator_admin_permissions"] },
    });

    for (const [outpostName, cidr] of Object.entries(props.outpostSubnetCidrs)) {
      new VpcSecurityGroupIngressRule(this, `api-from-outpost-${outpostName}`, {
        securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
        description: `Kubernetes API from the subnet of Outpost ${outpostName}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }

    const oidc = createOidcProvider(this, this.cluster);
    this.oidcProviderArn = oidc.arn;
    this.oidcProviderUrl = oidc.url;
    createAdminAccessEntries(this, this.cluster.name, props.adminPrincipalArns ?? [], partition);
    if (props.callerAdminAccessEntry ?? true) createCallerAdminAccessEntry(this, this.cluster.name, props.adminPrincipalArns ?? [], partition);

    this.exposeCluster(this.cluster, role, "API_AND_CONFIG_MAP");
    this.kmsKeyArn = secretsKeyArn;
  }
}
