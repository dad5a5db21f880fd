/**
 * `npm run diagram [-- --format mermaid|dot] [-- --out file]`: the blueprint BLUEPRINT_CONFIG names
 * as a Mermaid flowchart (or Graphviz DOT), drawn from the models (scripts/diagram-lib.ts); for a
 * fleet file, the one site OUTPOSTS_EKS_SITES selects.
 * `npm run diagram -- --write-docs` regenerates docs/diagrams for every example.
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprintOrFleet, oneSiteBlueprint, siteSelectionFromEnv } from "../config";
import { DiagramFormat, renderDiagram, renderDiagramDocs } from "./diagram-lib";

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  return value;
}

function main(args: readonly string[]): void {
  if (args.includes("--write-docs")) {
    for (const [file, content] of Object.entries(renderDiagramDocs())) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    }
    return;
  }
  const format = option(args, "--format") ?? "mermaid";
  if (format !== "mermaid" && format !== "dot") throw new Error(`--format must be mermaid or dot, not '${format}'`);
  // A fleet's diagram is one site's, the site OUTPOSTS_EKS_SITES selects: a thousand sites in one picture is no picture.
  const file = blueprintPathFromEnv();
  const text = renderDiagram(oneSiteBlueprint(loadBlueprintOrFleet(file), file, siteSelectionFromEnv()), format as DiagramFormat);
  const out = option(args, "--out");
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof BlueprintConfigError ? error.message : `npm run diagram: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}
