/**
 * The documented blueprints are ones a newcomer can copy: every ```yaml block under README.md's
 * "## A blueprint" and docs/blueprint.md's "## The blueprint file" is a whole blueprint that
 * validates, except those marked `<!-- fragment -->` on the line before (fields of one variant
 * only, not meant to validate alone).
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { BlueprintConfigError, BlueprintProblem, validateBlueprint } from "../config";

/** Each page (relative to the repository root) and the section of it whose blueprints validate. */
const PAGES: ReadonlyArray<{ readonly file: string; readonly section: string }> = [
  { file: "README.md", section: "## A blueprint" },
  { file: "docs/blueprint.md", section: "## The blueprint file" },
];
const FRAGMENT_MARKER = "<!-- fragment -->";

interface YamlBlock {
  /** 1-based line of the opening fence in the page. */
  readonly line: number;
  readonly text: string;
  readonly fragment: boolean;
}

/** The ```yaml blocks of the section, from its heading to the next `## ` heading. */
function blueprintSectionBlocks(markdown: string, file: string, section: string): YamlBlock[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === section);
  if (start < 0) throw new Error(`${file} has no "${section}" heading`);
  const blocks: YamlBlock[] = [];
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]); i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) throw new Error(`${file} line ${i + 1}: unclosed yaml block`);
    const previous = lines.slice(start + 1, i).filter((line) => line.trim() !== "").pop();
    blocks.push({ line: i + 1, text: lines.slice(i + 1, end).join("\n"), fragment: previous?.trim() === FRAGMENT_MARKER });
    i = end;
  }
  return blocks;
}

function problemsOf(raw: unknown, source: string): BlueprintProblem[] {
  try {
    validateBlueprint(raw, source);
  } catch (error) {
    if (error instanceof BlueprintConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe.each(PAGES)("$file, \"$section\"", ({ file, section }) => {
  const blocks = blueprintSectionBlocks(readFileSync(path.resolve(__dirname, "..", file), "utf8"), file, section);
  const whole = blocks.filter((block) => !block.fragment);

  it("opens with a whole blueprint, not a fragment", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0].fragment).toBe(false);
  });

  it("has at least one whole blueprint, and every one validates with no problem", () => {
    expect(whole.length).toBeGreaterThanOrEqual(1);
    for (const block of whole) {
      const source = `${file}:${block.line}`;
      expect({ source, problems: problemsOf(parseYaml(block.text), source) }).toEqual({ source, problems: [] });
    }
  });

  it("keeps every fragment parseable YAML", () => {
    for (const block of blocks.filter((b) => b.fragment)) {
      expect(() => parseYaml(block.text)).not.toThrow();
    }
  });
});

describe("README.md as the package's front door (the registry page shows it without docs/)", () => {
  const root = path.resolve(__dirname, "..");
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const repository = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");

  it("stays short: at most 140 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(140);
  });

  it("links every repository file absolutely, under package.json's repository, and each linked file exists", () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((match) => match[1]).filter((link) => !/^https?:\/\/(?!github\.com\/outposts-eks\/)/.test(link));
    expect(links.length).toBeGreaterThan(10);
    const prefix = `${repository}/blob/main/`;
    expect(links.filter((link) => !link.startsWith(prefix))).toEqual([]);
    expect(links.map((link) => link.slice(prefix.length)).filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });

  it("installs, then synthesizes with the command, then deploys with it", () => {
    const install = readme.indexOf("npm install outposts-eks");
    const synth = readme.indexOf("npx outposts-eks synth");
    const deploy = readme.indexOf("npx outposts-eks deploy network");
    expect(install).toBeGreaterThan(0);
    expect(synth).toBeGreaterThan(install);
    expect(deploy).toBeGreaterThan(synth);
    expect(readme).not.toMatch(/npx cdktf /);
    expect(readme).not.toMatch(/\bseed\b/);
  });
});
