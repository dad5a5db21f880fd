/**
 * Reads synthesized HCL back with HashiCorp's own parser (@cdktf/hcl2json) and compares it with
 * the JSON synthesis of the same stack.
 */
import { parse } from "@cdktf/hcl2json";

type Json = Record<string, any>;

/** Parses HCL text into Terraform's JSON-like structure. */
export async function parseHcl(text: string, fileName = "cdk.tf"): Promise<Json> {
  return parse(fileName, text);
}

/** `type.name` addresses of a block kind, for JSON synthesis or parsed HCL alike. */
function addresses(section: Json | undefined): string[] {
  return Object.entries(section ?? {})
    .flatMap(([type, byName]) => Object.keys(byName as Json).map((name) => `${type}.${name}`))
    .sort();
}

function bodyOf(value: unknown): Json {
  // hcl2json wraps every block body in a one-element array.
  return (Array.isArray(value) ? value[0] : value) as Json;
}

/** Plain values that need no expression rendering, compared as they are. */
function literalAttributes(body: Json): Json {
  return Object.fromEntries(
    Object.entries(body).filter(
      ([key, value]) =>
        key !== "//" &&
        (typeof value === "boolean" || typeof value === "number" || (typeof value === "string" && !value.includes("${"))),
    ),
  );
}

export interface HclJsonComparison {
  readonly resources: { json: string[]; hcl: string[] };
  readonly dataSources: { json: string[]; hcl: string[] };
  readonly outputs: { json: string[]; hcl: string[] };
  /** Attribute names of each resource and data source, with "//" metadata removed. */
  readonly attributeNames: { json: Json; hcl: Json };
  /** Literal attribute values (no expressions) of each resource and data source. */
  readonly literals: { json: Json; hcl: Json };
}

/** What the JSON and the HCL declare, side by side, for `expect(...).toEqual` on each pair. */
export function compareHclWithJson(json: Json, hcl: Json): HclJsonComparison {
  const perBlock = (section: "resource" | "data", pick: (body: Json) => unknown) => {
    const collect = (source: Json | undefined) =>
      Object.fromEntries(
        Object.entries(source ?? {}).flatMap(([type, byName]) =>
          Object.entries(byName as Json).map(([name, body]) => [`${type}.${name}`, pick(bodyOf(body))]),
        ),
      );
    return { json: collect(json[section]), hcl: collect(hcl[section]) };
  };
  const names = (body: Json) => Object.keys(body).filter((key) => key !== "//").sort();
  const resourceNames = perBlock("resource", names);
  const dataNames = perBlock("data", names);
  const resourceLiterals = perBlock("resource", literalAttributes);
  const dataLiterals = perBlock("data", literalAttributes);
  return {
    resources: { json: addresses(json.resource), hcl: addresses(hcl.resource) },
    dataSources: { json: addresses(json.data), hcl: addresses(hcl.data) },
    outputs: { json: Object.keys(json.output ?? {}).sort(), hcl: Object.keys(hcl.output ?? {}).sort() },
    attributeNames: { json: { ...resourceNames.json, ...dataNames.json }, hcl: { ...resourceNames.hcl, ...dataNames.hcl } },
    literals: { json: { ...resourceLiterals.json, ...dataLiterals.json }, hcl: { ...resourceLiterals.hcl, ...dataLiterals.hcl } },
  };
}
