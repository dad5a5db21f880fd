/**
 * nodeadm's reading of a NodeConfig, from its CRD (test/node/fixtures, from awslabs/amazon-eks-ami)
 * and its validation (nodeadm/internal/api/validation.go at 81fec2e895854f599974fe4d3d72f61c0a9aaffa).
 *
 * nodeadm decodes without strictness (nodeadm/internal/api/bridge/decode.go: NewCodecFactory with no
 * EnableStrict), so a field it does not know is dropped silently: here that is a problem as well,
 * since the node would run without what the field asked for. Fields of Go type
 * runtime.RawExtension (kubelet.config and other InlineDocument maps) take any JSON value, although
 * controller-gen renders them as `type: object` with x-kubernetes-preserve-unknown-fields.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
};

const crd = parseYaml(readFileSync(path.join(__dirname, "fixtures", "nodeadm-nodeconfig-crd.yaml"), "utf8"));
const version = crd.spec.versions.find((candidate: { name: string }) => candidate.name === "v1alpha1");
export const NODE_CONFIG_SCHEMA: Schema = version.schema.openAPIV3Schema;

function check(value: unknown, schema: Schema, at: string, problems: string[]): void {
  if (schema["x-kubernetes-preserve-unknown-fields"]) return;
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
  if (schema.type && schema.type !== kind && !(schema.type === "number" && kind === "integer")) {
    problems.push(`${at}: is ${kind} (${JSON.stringify(value)}), the schema wants ${schema.type}`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is none of ${schema.enum.join(", ")}`);
  if (schema.format === "byte" && typeof value === "string" && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) problems.push(`${at}: is not base64 (format byte)`);
  if (kind === "array" && schema.items) (value as unknown[]).forEach((item, i) => check(item, schema.items!, `${at}[${i}]`, problems));
  if (kind === "object") {
    for (const [field, child] of Object.entries(value as Record<string, unknown>)) {
      const childSchema = schema.properties?.[field] ?? schema.additionalProperties;
      if (!childSchema) problems.push(`${at}.${field}: unknown to nodeadm, which would drop it`);
      else check(child, childSchema, `${at}.${field}`, problems);
    }
  }
}

/** What nodeadm would refuse or drop in a NodeConfig document; empty when it takes it whole. */
export function nodeConfigProblems(document: string): string[] {
  const problems: string[] = [];
  const config = parseYaml(document);
  if (config?.apiVersion !== "node.eks.aws/v1alpha1" || config?.kind !== "NodeConfig") problems.push(`apiVersion/kind: ${config?.apiVersion}/${config?.kind}, nodeadm reads node.eks.aws/v1alpha1 NodeConfig`);
  check(config, NODE_CONFIG_SCHEMA, "NodeConfig", problems);
  // nodeadm's ValidateNodeConfig.
  const cluster = config?.spec?.cluster ?? {};
  for (const field of ["name", "apiServerEndpoint", "certificateAuthority", "cidr"]) if (!cluster[field]) problems.push(`spec.cluster.${field}: missing, which nodeadm refuses`);
  if (cluster.enableOutpost === true && !cluster.id) problems.push("spec.cluster.id: missing while enableOutpost is true, which nodeadm refuses");
  return problems;
}
