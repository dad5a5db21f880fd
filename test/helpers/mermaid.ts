/**
 * A grammar check for the subset of Mermaid flowcharts `npm run diagram` emits, so that a test can
 * tell a malformed diagram without a Mermaid parser:
 *
 *   diagram  := "flowchart LR" line*
 *   line     := INDENT (subgraph | "end" | node | edge)
 *   subgraph := "subgraph " ID "[" LABEL "]"
 *   node     := ID "[" LABEL "]"
 *   edge     := ID " " ARROW ("|" LABEL "|")? " " ID
 *   ARROW    := "---" | "<-->" | "-.-" | "-->"
 *   ID       := [A-Za-z0-9_]+, not a Mermaid keyword
 *   LABEL    := '"' (text without '"', '<' or '>'; "#name;" entities; "<br/>" line breaks) '"'
 *
 * Subgraphs and ends balance, every ID is declared once, and edges join declared nodes.
 */
export const MERMAID_ARROWS = ["---", "<-->", "-.-", "-->"] as const;
const KEYWORDS = new Set(["end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "linkStyle", "default", "direction"]);

export interface ParsedNode {
  readonly id: string;
  /** Label lines, entities decoded. */
  readonly label: string[];
  /** Enclosing subgraph IDs, outermost first. */
  readonly within: string[];
}

export interface ParsedEdge {
  readonly from: string;
  readonly to: string;
  readonly arrow: (typeof MERMAID_ARROWS)[number];
  readonly label?: string[];
}

export interface ParsedMermaid {
  readonly problems: string[];
  readonly nodes: ParsedNode[];
  readonly subgraphs: ParsedNode[];
  readonly edges: ParsedEdge[];
}

const ID = "([A-Za-z0-9_]+)";
const LABEL = '"((?:[^"<>#]|#[a-z0-9]+;|<br/>)*)"';
const SUBGRAPH = new RegExp(`^subgraph ${ID}\\[${LABEL}\\]$`);
const NODE = new RegExp(`^${ID}\\[${LABEL}\\]$`);
const ARROW = MERMAID_ARROWS.map((arrow) => arrow.replace(/[.]/g, "\\.")).join("|");
const EDGE = new RegExp(`^${ID} (${ARROW})(?:\\|${LABEL}\\|)? ${ID}$`);

const ENTITIES: Record<string, string> = { quot: '"', lt: "<", gt: ">", "35": "#" };

function decode(label: string): string[] {
  return label.split("<br/>").map((line) => line.replace(/#([a-z0-9]+);/g, (whole, name: string) => ENTITIES[name] ?? whole));
}

export function parseMermaid(text: string): ParsedMermaid {
  const problems: string[] = [];
  const nodes: ParsedNode[] = [];
  const subgraphs: ParsedNode[] = [];
  const edges: ParsedEdge[] = [];
  const stack: string[] = [];
  const declared = new Set<string>();
  const declare = (id: string, line: number) => {
    if (KEYWORDS.has(id)) problems.push(`line ${line}: '${id}' is a Mermaid keyword`);
    if (declared.has(id)) problems.push(`line ${line}: '${id}' declared twice`);
    declared.add(id);
  };
  const lines = text.split("\n");
  if (lines[0] !== "flowchart LR") problems.push("line 1: not 'flowchart LR'");
  if (lines[lines.length - 1] !== "") problems.push("no final newline");
  lines.slice(1, -1).forEach((raw, i) => {
    const line = i + 2;
    const indent = raw.match(/^ */)![0].length;
    const body = raw.slice(indent);
    if (indent % 2 !== 0 || body === "" || body !== body.trimEnd()) problems.push(`line ${line}: bad indentation or blank`);
    let match: RegExpMatchArray | null;
    if (body === "end") {
      if (stack.pop() === undefined) problems.push(`line ${line}: 'end' without a subgraph`);
    } else if ((match = body.match(SUBGRAPH))) {
      declare(match[1], line);
      subgraphs.push({ id: match[1], label: decode(match[2]), within: [...stack] });
      stack.push(match[1]);
    } else if ((match = body.match(EDGE))) {
      edges.push({ from: match[1], arrow: match[2] as ParsedEdge["arrow"], label: match[3] === undefined ? undefined : decode(match[3]), to: match[4] });
    } else if ((match = body.match(NODE))) {
      declare(match[1], line);
      nodes.push({ id: match[1], label: decode(match[2]), within: [...stack] });
    } else {
      problems.push(`line ${line}: not in the grammar: ${body}`);
    }
  });
  if (stack.length > 0) problems.push(`unclosed subgraphs: ${stack.join(", ")}`);
  const nodeIds = new Set(nodes.map((node) => node.id));
  for (const edge of edges) {
    for (const end of [edge.from, edge.to]) if (!nodeIds.has(end)) problems.push(`edge ${edge.from} ${edge.arrow} ${edge.to}: '${end}' is not a declared node`);
  }
  return { problems, nodes, subgraphs, edges };
}
