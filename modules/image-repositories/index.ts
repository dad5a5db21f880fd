/**
 * Private ECR repositories for the add-on images AWS does not publish in its regional EKS
 * registries, and the plan-time proof that each copy is in place.
 *
 * A private cluster must pull images from a registry inside its VPC (EKS User Guide, private
 * clusters); ECR Public has no VPC endpoint. The repositories are reached through the ecr.api and
 * ecr.dkr endpoints and the S3 gateway, like the regional EKS registry. Tags are immutable, images are
 * scanned on push and encrypted with KMS (ECR User Guide, encryption at rest).
 */
import { DataAwsEcrImages } from "@cdktf/provider-aws/lib/data-aws-ecr-images";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Fn, propertyAccess, TerraformSelf } from "cdktf";
import { Construct } from "constructs";

export interface ImageRepositoriesProps {
  /** Repository names, such as `outposts-eks/aws-ec2/aws-node-termination-handler`. */
  readonly repositoryNames: readonly string[];
  /**
   * Tags for every repository.
   * @default none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class ImageRepositories extends Construct {
  /** Repository URL by repository name. */
  readonly repositoryUrls: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ImageRepositoriesProps) {
    super(scope, id);
    const urls: Record<string, string> = {};
    for (const name of props.repositoryNames) {
      const repository = new EcrRepository(this, name.replace(/\//g, "-"), {
        name,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS" }],
        tags: props.tags,
      });
      urls[name] = repository.repositoryUrl;
    }
    this.repositoryUrls = urls;
  }
}

export interface EcrPublicCacheProps {
  /** The ECR repository prefix the rule serves ECR Public under: `<prefix>/<upstream repository>`. */
  readonly prefix: string;
}

/**
 * A pull-through cache rule for ECR Public (no credentials needed). The first pull of each image
 * needs internet egress, from the node (NAT) or from a warm-up outside the VPC (ECR User Guide,
 * pull through cache and VPC endpoints).
 */
export class EcrPublicCache extends Construct {
  readonly rule: EcrPullThroughCacheRule;

  constructor(scope: Construct, id: string, props: EcrPublicCacheProps) {
    super(scope, id);
    this.rule = new EcrPullThroughCacheRule(this, "rule", { ecrRepositoryPrefix: props.prefix, upstreamRegistryUrl: "public.ecr.aws" });
  }
}

/**
 * What a pulling identity (the node role, through the kubelet's ECR credential provider) needs for a
 * cache rule: importing the upstream image, and creating its repository at the first pull (ECR User
 * Guide, "IAM permissions required to sync an upstream registry").
 */
export function pullThroughCacheStatements(partition: string, region: string, prefix: string) {
  return [
    {
      effect: "Allow",
      actions: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
      resources: [`arn:${partition}:ecr:${region}:*:repository/${prefix}/*`],
    },
  ];
}

export interface ImageCopyCheckProps {
  /** The private repository that must hold the image. */
  readonly repositoryName: string;
  readonly tag: string;
  /** What the user runs to put the image there; the plan's error message quotes it. */
  readonly remedy: string;
}

/**
 * Fails the plan when a private repository lacks the tag an add-on needs, before anything is
 * installed: a postcondition on `data.aws_ecr_images`, which lists the repository's tags.
 */
export class ImageCopyCheck extends Construct {
  readonly images: DataAwsEcrImages;

  constructor(scope: Construct, id: string, props: ImageCopyCheckProps) {
    super(scope, id);
    this.images = new DataAwsEcrImages(this, "images", {
      repositoryName: props.repositoryName,
      lifecycle: {
        postcondition: [
          {
            condition: Fn.contains(propertyAccess(TerraformSelf.getAny("image_ids"), ["*", "image_tag"]), props.tag),
            errorMessage: `The private repository ${props.repositoryName} has no image tagged ${props.tag}. Copy it first: ${props.remedy}`,
          },
        ],
      },
    });
  }
}
