/**
 * `outposts-eks diagram [--format mermaid|dot] [--out file]`: the blueprint as a Mermaid flowchart
 * (or Graphviz DOT), drawn from the models (cli/diagram-lib.ts). `--write-docs` regenerates
 * docs/diagrams for every example (a clone's maintainers: `npm run diagram -- --write-docs`).
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import type { Blueprint } from "../config";
import { DiagramFormat, renderDiagram, renderDiagramDocs } from "./diagram-lib";
import { CommandError } from "./exit-codes";

export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ["mermaid", "dot"];

/** Writes docs/diagrams for every example; returns the files written. */
export function writeDiagramDocs(): string[] {
  return Object.entries(renderDiagramDocs()).map(([file, content]) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}

/** The diagram text, also written to `out` when given. */
export function diagramCommand(blueprint: Blueprint, format: string = "mermaid", out?: string): string {
  if (!DIAGRAM_FORMATS.includes(format as DiagramFormat)) throw new CommandError(`--format must be mermaid or dot, not '${format}'`);
  const text = renderDiagram(blueprint, format as DiagramFormat);
  if (out) writeFileSync(out, text);
  return text;
}
