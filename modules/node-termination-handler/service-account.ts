/**
 * The service account the handler runs as: its chart values name it, and the IRSA role that the
 * workers stack creates beside the queue trusts exactly it. Kept free of the Helm provider, so the
 * workers stack imports it without loading the chart's construct.
 */
export const NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node-termination-handler" } as const;
