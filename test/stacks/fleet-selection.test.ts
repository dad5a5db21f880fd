/**
 * Issue 33: a fleet synthesized one site at a time, and a selection of its sites. Selecting one site
 * of a generated fleet writes that site's stacks byte for byte as one App of the whole fleet does
 * (the path of issue 24), and no stack of another site; the whole fleet, one App per site, writes
 * every file and the manifest as that App did.
 */
import { App, Token } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import fc from "fast-check";
import { BlueprintConfigError, Fleet, oneSiteBlueprint, overlappingPairs, parseSiteSelection, refuseSiteSelection, selectSites, SITES_ENV, validateFleet } from "../../config";
import { parseCidr } from "../../config/cidr";
import { releasingCdktfTokens } from "../../modules/shared/token-release";
import { BLUEPRINT_APP_CONTEXT, buildFleet, STACK_NAMES, synthFleet } from "../../stacks";
import { generatedFleet, generatedSiteName } from "../helpers/large-fleets";

const SITES = 5;
const NAMES = Array.from({ length: SITES }, (_, i) => generatedSiteName(i));

const scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-fleet-selection-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const newOutdir = () => path.join(scratch, `out-${dirs++}`);

/** Every file under `dir`, by path relative to it, with its bytes. */
function filesUnder(dir: string, prefix = ""): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, prefix))) {
    const relative = path.join(prefix, entry);
    if (statSync(path.join(dir, relative)).isDirectory()) for (const [file, bytes] of filesUnder(dir, relative)) files.set(file, bytes);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}

/** The fleet in one App, as issue 24 built it: the reference every other path must equal. */
function oneAppSynth(fleet: Fleet): string {
  const outdir = newOutdir();
  const app = new App({ outdir, context: { ...BLUEPRINT_APP_CONTEXT } });
  buildFleet(app, fleet);
  app.synth();
  return outdir;
}

const generated = validateFleet(generatedFleet(SITES), "generated.yaml");
const bootstrapped = (() => {
  const raw = generatedFleet(2) as { base: Record<string, unknown> };
  raw.base.backend = {
    type: "cloud",
    organization: "retail-org",
    workspacePrefix: "retail",
    project: "retail-stores",
    workspaces: { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { roleArn: "arn:aws:iam::111122223333:role/hcp-runs" } },
  };
  return validateFleet(raw, "bootstrapped.yaml");
})();

let reference: Map<string, Buffer>;
const referenceFiles = () => (reference ??= filesUnder(oneAppSynth(generated)));
const tokenMap = () => (globalThis as { __cdktfTokenMap?: { stringTokenMap: Map<string, unknown>; lookupString(s: string): unknown } }).__cdktfTokenMap;
const manifestOf = (files: Map<string, Buffer>) => JSON.parse(files.get("manifest.json")!.toString("utf8"));

describe("a fleet synthesized one site at a time", () => {
  it("writes every file, manifest.json included, byte for byte as one App of the whole fleet, and releases its tokens", () => {
    const outdir = newOutdir();
    const tokensBefore = tokenMap()?.stringTokenMap.size ?? 0;
    const written = synthFleet(generated, { outdir });
    // cdktf's process-wide token map keeps none of the sites' tokens, so none of their constructs.
    expect(tokenMap()!.stringTokenMap.size).toBe(tokensBefore);
    const files = filesUnder(outdir);
    expect([...files.keys()].sort()).toEqual([...referenceFiles().keys()].sort());
    for (const [file, bytes] of referenceFiles()) expect({ file, same: files.get(file)!.equals(bytes) }).toEqual({ file, same: true });
    expect(written.sort()).toEqual(NAMES.flatMap((site) => STACK_NAMES.map((stack) => `${site}-${stack}`)).sort());
  });
});

describe(`${SITES_ENV}: selecting sites`, () => {
  it("one site: its stacks byte for byte as a full synthesis, and no stack of another site", () => {
    const outdir = newOutdir();
    synthFleet(generated, { outdir, selection: selectSites(generated, parseSiteSelection("site-0003")) });
    const files = filesUnder(outdir);
    const stacks = readdirSync(path.join(outdir, "stacks")).sort();
    expect(stacks).toEqual(STACK_NAMES.map((stack) => `site-0003-${stack}`).sort());
    for (const [file, bytes] of files) {
      if (file === "manifest.json") continue;
      expect({ file, same: bytes.equals(referenceFiles().get(file)!) }).toEqual({ file, same: true });
    }
    const full = manifestOf(referenceFiles());
    expect(manifestOf(files)).toEqual({ ...full, stacks: Object.fromEntries(stacks.map((stack) => [stack, full.stacks[stack]])) });
  });

  it("takes names, globs and cdktf's stack globs, comma-separated, in the fleet's order", () => {
    const chosen = (text: string) => selectSites(generated, parseSiteSelection(text)).sites.map((site) => site.name);
    expect(chosen("site-0004, site-0002")).toEqual(["site-0002", "site-0004"]);
    expect(chosen("site-000?")).toEqual(NAMES);
    expect(chosen("site-0003-*")).toEqual(["site-0003"]);
    expect(chosen("site-0005-addons,site-0001")).toEqual(["site-0001", "site-0005"]);
    expect(chosen("*")).toEqual(NAMES);
    expect(parseSiteSelection(undefined)).toBeUndefined();
    expect(parseSiteSelection(" , ")).toBeUndefined();
    expect(selectSites(generated, undefined).sites).toBe(generated.sites);
  });

  it("an entry that matches no site is an error naming the sites that exist", () => {
    const error = (() => {
      try {
        selectSites(generated, ["site-0002", "site-9*", "store-1"]);
      } catch (caught) {
        return caught as BlueprintConfigError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(BlueprintConfigError);
    expect(error.problems.map((p) => [p.path, p.value])).toEqual([
      [SITES_ENV, "site-9*"],
      [SITES_ENV, "store-1"],
    ]);
    expect(error.message).toContain("generated.yaml: the site selection is invalid (2 problems):");
    expect(error.problems[0].message).toContain(`such as ${NAMES.join(", ")}`);
  });

  it("gives a one-blueprint command (the diagram) the one site selected, and refuses any other choice", () => {
    const loaded = { kind: "fleet", fleet: generated } as const;
    expect(oneSiteBlueprint(loaded, "generated.yaml", ["site-0004"])).toBe(generated.sites[3].blueprint);
    expect(() => oneSiteBlueprint(loaded, "generated.yaml", undefined)).toThrow(`${SITES_ENV}: (missing) selects 5 sites (${NAMES.join(", ")}); this command reads one: select one site`);
    expect(() => oneSiteBlueprint(loaded, "generated.yaml", ["site-000?"])).toThrow("selects 5 sites");
    expect(oneSiteBlueprint({ kind: "blueprint", blueprint: generated.sites[0].blueprint }, "edge.yaml", undefined)).toBe(generated.sites[0].blueprint);
  });

  it("is refused for a single blueprint, which has no sites", () => {
    expect(() => refuseSiteSelection("edge.yaml", ["site-0001"])).toThrow(`edge.yaml: the site selection is invalid (1 problem):\n  - ${SITES_ENV}: "site-0001" selects sites of a fleet file`);
    expect(refuseSiteSelection("edge.yaml", undefined)).toBeUndefined();
  });

  it("builds the fleet's workspaces stack only when selected, and then always of every site", () => {
    const full = filesUnder(oneAppSynth(bootstrapped));
    // HCP Terraform backends and the workspaces stack, one App per site: every file as one App writes it.
    const perSite = filesUnder((() => {
      const outdir = newOutdir();
      synthFleet(bootstrapped, { outdir });
      return outdir;
    })());
    expect([...perSite.keys()].sort()).toEqual([...full.keys()].sort());
    for (const [file, bytes] of full) expect({ file, same: perSite.get(file)!.equals(bytes) }).toEqual({ file, same: true });
    expect(selectSites(bootstrapped, ["site-0002"]).workspaces).toBe(false);
    const outdir = newOutdir();
    synthFleet(bootstrapped, { outdir, selection: selectSites(bootstrapped, ["workspaces"]) });
    const files = filesUnder(outdir);
    expect([...files.keys()].filter((file) => file !== "manifest.json")).toEqual(["stacks/workspaces/cdk.tf.json"]);
    expect(files.get("stacks/workspaces/cdk.tf.json")!.equals(full.get("stacks/workspaces/cdk.tf.json")!)).toBe(true);
    expect(() => selectSites(generated, ["workspaces"])).toThrow(/matches no site of the fleet/);
  });
});

describe("releasingCdktfTokens", () => {
  it("forgets the tokens registered by its work and keeps those registered before", () => {
    const kept = Token.asString({ resolve: () => "kept" });
    const dropped = releasingCdktfTokens(() => Token.asString({ resolve: () => "dropped" }));
    const map = tokenMap()!;
    expect(map.lookupString(kept)).toBeDefined();
    expect(() => map.lookupString(dropped)).toThrow(/Unrecognized token key/i);
  });
});

describe("overlappingPairs", () => {
  it("finds exactly the pairs a comparison of every pair finds", () => {
    const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 24 })).map(([octet, prefix]) => {
      const address = ((10 << 24) | (octet << 16)) >>> 0;
      const network = (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
      return `${[24, 16, 8, 0].map((shift) => (network >>> shift) & 0xff).join(".")}/${prefix}`;
    });
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 12 }), (cidrs) => {
        const every: Array<[number, number]> = [];
        for (let i = 0; i < cidrs.length; i++) {
          for (let j = i + 1; j < cidrs.length; j++) {
            const [a, b] = [parseCidr(cidrs[i])!, parseCidr(cidrs[j])!];
            const contains = (o: typeof a, n: typeof a) => n.prefix >= o.prefix && (n.network >>> (32 - o.prefix)) === (o.network >>> (32 - o.prefix));
            if (contains(a, b) || contains(b, a)) every.push([i, j]);
          }
        }
        expect(overlappingPairs(cidrs)).toEqual(every);
      }),
    );
  });
});
