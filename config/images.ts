/**
 * AWS's regional registries, for the image catalogue (modules/shared/image-catalogue.ts).
 */
export * from "../modules/shared/image-catalogue";

/**
 * The account of AWS's regional EKS registry, by Region (EKS User Guide, "View Amazon container
 * image registries for Amazon EKS add-ons"): 602401143452 everywhere not listed here.
 */
export const REGIONAL_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  "af-south-1": "877085696533",
  "ap-east-1": "800184023465",
  "ap-east-2": "533267051163",
  "ap-south-2": "900889452093",
  "ap-southeast-3": "296578399912",
  "ap-southeast-4": "491585149902",
  "ap-southeast-5": "151610086707",
  "ap-southeast-6": "333609536671",
  "ap-southeast-7": "121268973566",
  "ca-west-1": "761377655185",
  "cn-north-1": "918309763551",
  "cn-northwest-1": "961992271922",
  "eu-central-2": "900612956339",
  "eu-south-1": "590381155156",
  "eu-south-2": "455263428931",
  "il-central-1": "066635153087",
  "me-central-1": "759879836304",
  "me-south-1": "558608220178",
  "mx-central-1": "730335286997",
  "us-gov-east-1": "151742754352",
  "us-gov-west-1": "013241004608",
};
export const DEFAULT_REGIONAL_REGISTRY_ACCOUNT = "602401143452";

/** The DNS suffix of a Region's partition. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/** The partition of a Region. */
export function partitionOf(region: string): "aws" | "aws-us-gov" | "aws-cn" {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** The host of AWS's regional EKS registry in a Region. */
export function regionalRegistry(region: string): string {
  const account = REGIONAL_REGISTRY_ACCOUNTS[region] ?? DEFAULT_REGIONAL_REGISTRY_ACCOUNT;
  return `${account}.dkr.ecr.${region}.${dnsSuffixOf(region)}`;
}

/**
 * Partitions where ECR pull-through cache rules cannot be created: the ECR User Guide (pull through
 * cache, considerations) and AWS's announcement of 2023-11-17 exclude the GovCloud (US) and China
 * Regions; no later source lifts that.
 */
export const PARTITIONS_WITHOUT_PULL_THROUGH_CACHE: readonly string[] = ["aws-us-gov", "aws-cn"];
