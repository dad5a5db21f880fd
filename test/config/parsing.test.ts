/**
 * Every file gets an answer before any construct is built: a clear problem for what is not a
 * blueprint (empty, invisible characters, a key given twice, merge keys, pathological nesting or
 * size), in linear time, and exit 2 with a bug report line for anything unexpected.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { BlueprintConfigError, BlueprintProblem, loadBlueprint, MAX_BLUEPRINT_BYTES, parseBlueprintText } from "../../config";
import { LARGE_LISTS, leastCpuSeconds, validationOutcome } from "../helpers/large-blueprints";
import { EXAMPLES_DIR, rawExample } from "../helpers/synth";
import { main } from "../../main";
import { synthesizeConfig } from "../../cli/synth";

function problemsOfText(text: string): BlueprintProblem[] {
  try {
    parseBlueprintText(text, "b.yaml");
  } catch (error) {
    if (error instanceof BlueprintConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const example = () => stringify(rawExample("extended-racks.yaml"));

describe("reading a blueprint file", () => {
  it("says when the file is empty", () => {
    for (const text of ["", "   \n\n", "# only a comment\n"]) {
      expect(problemsOfText(text)).toEqual([{ path: "(root)", value: undefined, message: expect.stringMatching(/^is empty/) }]);
    }
  });

  it("names invisible characters by code point, with line and column", () => {
    expect(problemsOfText(`\uFEFF${example()}`)[0].message).toBe(
      "has the invisible character U+FEFF (byte-order mark or zero-width no-break space) at line 1, column 1; delete it or retype the line",
    );
    expect(problemsOfText("name: edge\u00A0racks\nregion: us-west-2\n")[0].message).toMatch(/U\+00A0 \(no-break space\) at line 1, column 11/);
  });

  it("rejects a key given twice, in YAML and in JSON alike", () => {
    expect(problemsOfText("name: a\nname: b\n")[0].message).toMatch(/the key "name" is given more than once/);
    expect(problemsOfText('{"name": "a", "name": "b"}')[0].message).toMatch(/the key "name" is given more than once/);
  });

  // Issue 20, class 11: the key, its path and both lines, where the file said only "(root): cannot be read".
  const duplicate = (path: string, key: string, first: string, again: string) => ({
    path,
    value: undefined,
    relation: true,
    message: `the key "${key}" is given more than once: first at ${first}, again at ${again}; a key appears once in a map (JSON.parse would keep the last value silently): delete one`,
  });

  it("names a root key given twice in YAML, with both lines", () => {
    expect(problemsOfText("name: edge\nregion: us-west-2\nname: edge-b\n")).toEqual([duplicate("name", "name", "line 1, column 1", "line 3, column 1")]);
  });

  it("names a key given twice in a YAML list item by its path", () => {
    const text = "name: edge\nnodeGroups:\n  - name: general\n    outpost: rack-a\n  - name: batch\n    outpost: rack-a\n    name: batch-b\n";
    expect(problemsOfText(text)).toEqual([duplicate("nodeGroups[1].name", "name", "line 5, column 5", "line 7, column 5")]);
  });

  it("names a root key given twice in JSON, which JSON.parse would keep silently", () => {
    const text = '{\n  "name": "edge",\n  "region": "us-west-2",\n  "name": "edge-b"\n}\n';
    expect(JSON.parse(text).name).toBe("edge-b");
    expect(problemsOfText(text)).toEqual([duplicate("name", "name", "line 2, column 3", "line 4, column 3")]);
  });

  it("names a key given twice in a JSON list item by its path, and every key given twice", () => {
    const text = '{\n  "nodeGroups": [\n    {"name": "general", "minSize": 1},\n    {"name": "batch",\n     "minSize": 1,\n     "minSize": 2}\n  ],\n  "tags": {"a": "1", "a": "2"}\n}\n';
    expect(problemsOfText(text)).toEqual([
      duplicate("nodeGroups[1].minSize", "minSize", "line 5, column 6", "line 6, column 6"),
      duplicate("tags.a", "a", "line 8, column 12", "line 8, column 22"),
    ]);
  });

  it("prints a key given twice with its path and no value", () => {
    expect(() => parseBlueprintText("a: 1\nb:\n  c: 1\n  c: 2\n", "b.yaml")).toThrow(
      /^b\.yaml: the blueprint is invalid \(1 problem\):\n {2}- b\.c: the key "c" is given more than once: first at line 3, column 3, again at line 4, column 3;/,
    );
  });

  it("places a YAML or JSON syntax error at its line and column, with the line's text", () => {
    expect(problemsOfText("name: edge\nnetwork:\n  vpc: { cidr: 10.0.0.0/16 }\n regionalSubnets: []\n")[0].message).toBe(
      "cannot be read: All mapping items must start at the same column (line 4, column 1: ` regionalSubnets: []`)",
    );
    expect(problemsOfText('{\n  "name": "edge",\n  "region": "us-west-2"\n  "variant": "extended"\n}\n')[0].message).toBe(
      'cannot be read: Missing , between flow map items (line 4, column 3: `  "variant": "extended"`)',
    );
    // An unclosed quote is found where the file ends: the last line with text is shown.
    expect(problemsOfText('name: edge\nregion: "us-west-2\nvariant: extended\n\n')[0].message).toBe(
      'cannot be read: Missing closing "quote (line 5, column 1: the file ends; the last line is 3: `variant: extended`)',
    );
  });

  it("keeps reporting other parse errors as before, also beside a key given twice", () => {
    expect(problemsOfText("a: 1\na: 2\nb: [\n")).toEqual([{ path: "(root)", value: undefined, message: expect.stringMatching(/^cannot be read: Flow sequence/) }]);
  });

  it("says that YAML merge keys are not supported, where they are", () => {
    const problems = problemsOfText("defaults: &d\n  minSize: 1\nnodeGroups:\n  - <<: *d\n    name: a\n");
    expect(problems).toEqual([{ path: "nodeGroups[0].<<", value: undefined, message: expect.stringMatching(/is a YAML merge key \(<<\), which blueprints do not support/) }]);
  });

  it("refuses pathological nesting before any recursive parser sees it", () => {
    const deep = `${"[".repeat(20000)}${"]".repeat(20000)}`;
    expect(problemsOfText(deep)[0].message).toBe("nests 20000 levels of brackets deep; a blueprint nests at most 32");
    const indented = Array.from({ length: 40 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n";
    expect(problemsOfText(indented)[0].message).toMatch(/nests \d+ levels deep; a blueprint nests at most 32/);
  });

  it("counts brackets outside comments and quoted scalars only: an apostrophe in a comment hides nothing", () => {
    const deep = `${"[".repeat(20000)}${"]".repeat(20000)}`;
    expect(problemsOfText(`# the rack's subnet\nname: ${deep}\n`)[0].message).toBe("nests 20000 levels of brackets deep; a blueprint nests at most 32");
    expect(problemsOfText("name: rack's\n# it's [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nlist: '[[['\n")).toEqual([]);
  });

  it("refuses block sequences nested on one line (- - - x)", () => {
    expect(problemsOfText(`name: x\nlist:\n  ${"- ".repeat(20000)}x\n`)[0].message).toBe('nests 20000 block indicators ("- ") deep at line 3; a blueprint nests at most 32');
  });

  it("turns nesting the text scan misses into a problem, not a stack overflow", () => {
    // The quote after "a " looks like the start of a quoted scalar to the scan; YAML reads a plain scalar.
    const problems = problemsOfText(`name: a 'b\nlist: ${"[".repeat(20000)}${"]".repeat(20000)}\n`);
    expect(problems).toEqual([{ path: "(root)", value: undefined, message: expect.stringMatching(/^nests too deep to read .*; a blueprint nests at most 32 levels$/) }]);
  });

  it("names any invisible character by code point: format characters, other spaces, line separators", () => {
    const messages = (text: string) => problemsOfText(text).map((p) => p.message);
    expect(messages("name: edge\u2028racks\n")).toEqual([expect.stringMatching(/^has the invisible character U\+2028 \(line separator\) at line 1, column 11/)]);
    expect(messages("name: edge\u00ADracks\n")).toEqual([expect.stringMatching(/U\+00AD \(soft hyphen\)/)]);
    expect(messages("name: edge\u200Eracks\n")).toEqual([expect.stringMatching(/U\+200E \(left-to-right mark\)/)]);
    expect(messages("name: edge\u2009racks\n")).toEqual([expect.stringMatching(/U\+2009 at line 1/)]);
    expect(messages("name: edge racks \u00e9\n")).toEqual([]);
  });

  it("names YAML tags and keys that give no plain value, with line and column", () => {
    const messages = (text: string) => problemsOfText(text).map((p) => p.message);
    expect(messages("name: !!binary aGVsbG8=\n")).toEqual([expect.stringMatching(/^has the YAML tag !!binary at line 1, column 16; .*remove the tag$/)]);
    expect(messages("tags: !!set {a, b}\n")).toEqual([expect.stringMatching(/^has the YAML tag !!set at line 1/)]);
    expect(messages("name: !!timestamp 2001-12-14\n")).toEqual([expect.stringMatching(/^has the YAML tag !!timestamp/)]);
    expect(messages("name: !local edge\n")).toEqual([expect.stringMatching(/^has the YAML tag !local/)]);
    expect(messages("tags:\n  ? [a, b]\n  : x\n")).toEqual(["has a list or map as a key at line 2, column 5; keys are plain text"]);
    // The core schema's own tags are plain values: !!str is one way to quote a version.
    expect(problemsOfText("kubernetesVersion: !!str 1.30\nminSize: !!int 2\n")).toEqual([]);
  });

  it("answers aliases without an anchor, or expanding too often, as problems (npm run fuzz found the first)", () => {
    expect(problemsOfText("name: *a\n")[0].message).toMatch(/^cannot be read: Unresolved alias \(the anchor must be set before the alias\): a/);
    expect(problemsOfText("name: *a\nregion: &a us-west-2\n")[0].message).toMatch(/^cannot be read: Unresolved alias/);
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: &c [${Array(10).fill("*b").join(", ")}]\n`;
    expect(problemsOfText(bomb)[0].message).toMatch(/^cannot be read: Excessive alias count/);
  });

  it("says a file holds several documents", () => {
    expect(problemsOfText("name: a\n---\nname: b\n")[0].message).toBe("cannot be read: holds several YAML documents (---); a blueprint is one document (line 2, column 1: `---`)");
  });

  it("shows a problem of the whole file without a value", () => {
    expect(() => parseBlueprintText("", "b.yaml")).toThrow("b.yaml: the blueprint is invalid (1 problem):\n  - (root): is empty");
  });

  // How fast is npm run bench's business (a 10 MB file, answered in well under 5 s): here, that the
  // answer comes from the size, before any parser or rule walks the content.
  it("answers a 10 MB file by its size, before parsing it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "outposts-eks-big-"));
    try {
      const file = path.join(dir, "big.yaml");
      const subnets = Array.from({ length: 162000 }, (_, i) => `    - { availabilityZone: us-west-2a, cidr: 10.${i % 256}.${(i >> 8) % 256}.0/24 }`).join("\n");
      writeFileSync(file, `name: big\nnetwork:\n  regionalSubnets:\n${subnets}\n`);
      expect(() => loadBlueprint(file)).toThrow(new RegExp(`is \\d+ bytes; a blueprint may have at most ${MAX_BLUEPRINT_BYTES} \\(1 MiB\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Linear rules: lists as long as a 1 MiB file holds are answered, every problem found and the first
  // 100 printed (2,000 servers among racks took 33 s when pairs without a path were listed one by one).
  // How long they take is npm run bench's business; here, that the answer comes (the jest timeout only
  // catches a hang) and that the work grows linearly.
  it.each(LARGE_LISTS)("answers a blueprint of 4 x %s, printing at most 100 problems", (_what, size, grow) => {
    const raw = grow(4 * size);
    expect(JSON.stringify(raw).length).toBeLessThan(MAX_BLUEPRINT_BYTES);
    const error = validationOutcome(raw);
    expect(error).toBeInstanceOf(BlueprintConfigError);
    const { problems, message } = error as BlueprintConfigError;
    expect(problems.length).toBeGreaterThan(100);
    expect(message.split("\n")).toHaveLength(1 + 100 + 1);
    expect(message).toMatch(new RegExp(`\\.\\.\\. and ${problems.length - 100} more \\(the first 100 are shown\\)$`));
  });

  // A ratio of CPU time inside one run, not a time: 4 times the list costs about 4 times the work when
  // the rules are linear and 16 times when they compare every pair; 10 leaves room for a busy machine.
  it.each(LARGE_LISTS)("validates %s in linear work: 4 times the list, under 10 times the CPU", (_what, size, grow) => {
    const small = grow(size);
    const large = grow(4 * size);
    validationOutcome(small); // the JIT warms up on the smaller list, so it is not charged for it
    const ratio = leastCpuSeconds(() => validationOutcome(large)) / leastCpuSeconds(() => validationOutcome(small));
    expect(ratio).toBeLessThan(10);
  });

  it("names non-finite numbers, and says to quote a version YAML read as a number", () => {
    const raw = rawExample("extended-racks.yaml");
    const text = stringify({ ...raw, kubernetesVersion: 1.3 }).replace(/maxSize: 4/, "maxSize: .inf");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "outposts-eks-num-")), "b.yaml");
    writeFileSync(file, text);
    try {
      loadBlueprint(file);
      throw new Error("accepted");
    } catch (error) {
      const problems = (error as BlueprintConfigError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: "kubernetesVersion", message: expect.stringMatching(/quote it/) }),
          expect.objectContaining({ path: "nodeGroups[0].maxSize", message: expect.stringMatching(/is not a finite number \(YAML's \.inf or \.nan\)/) }),
        ]),
      );
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("reads every example", () => {
    expect(() => loadBlueprint(path.join(EXAMPLES_DIR, "extended-racks.yaml"))).not.toThrow();
  });
});

describe("the app's exit codes", () => {
  it("exits 2 with one line naming a bug in outposts-eks when synthesis fails unexpectedly", () => {
    const exit = jest.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      // The real synthesis, of a blueprint whose node groups cannot be read: a TypeError from inside
      // the stacks, as a bug would throw it, with nothing written where the clone keeps its output.
      const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-bug-"));
      try {
        main([], (config, options) => {
          if (config.kind !== "blueprint") throw new Error("the default blueprint is not a fleet");
          const unreadable = new Proxy(config.blueprint, {
            get: (target, key, receiver) => {
              if (key === "nodeGroups") throw new TypeError("boom");
              return Reflect.get(target, key, receiver);
            },
          });
          return synthesizeConfig({ ...config, blueprint: unreadable }, { ...options, outdir });
        });
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
      expect(exit).toHaveBeenCalledWith(2);
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0][0])).toMatch(/^outposts-eks: internal error, a bug in outposts-eks rather than in your blueprint \(TypeError: boom\)\. Please report it/);
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
