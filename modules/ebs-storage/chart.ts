/**
 * The EBS CSI driver's chart, kept free of imports so that the blueprint schema can take its
 * default chart version from here: the version lives in one place.
 */
export const EBS_CSI_CHART = { name: "aws-ebs-csi-driver", repository: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver" } as const;

/** The chart version installed on local clusters (extended clusters run the EKS managed add-on). */
export const EBS_CSI_CHART_VERSION = "2.53.0";

/** The AWS managed policy the driver's role (or the node role) takes, by its name under policy/. */
export const EBS_CSI_DRIVER_POLICY = "service-role/AmazonEBSCSIDriverPolicy";
