/**
 * The CPU architecture an instance type name implies: Graviton families (a `g` first among the
 * attribute letters after the generation, and a1) are arm64, every other family x86_64, g4dn and g5
 * included.
 */
import fc from "fast-check";
import { amiArchitectureOf, instanceTypeArchitecture } from "../../config";

describe("instanceTypeArchitecture", () => {
  it.each([
    ["c6gd.2xlarge", "arm64"],
    ["m6g.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["r8g.4xlarge", "arm64"],
    ["x2gd.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["is4gen.medium", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["t4g.medium", "arm64"],
    ["a1.large", "arm64"],
    ["g4dn.xlarge", "x86_64"],
    ["g5.2xlarge", "x86_64"],
    ["m5.2xlarge", "x86_64"],
    ["c6id.4xlarge", "x86_64"],
    ["m6a.large", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["i3en.xlarge", "x86_64"],
  ])("reads %s as %s", (instanceType, architecture) => {
    expect(instanceTypeArchitecture(instanceType)).toBe(architecture);
  });

  it("reads every Graviton-shaped name as arm64 and every other attribute set as x86_64", () => {
    const family = fc.constantFrom("m", "c", "r", "x", "i", "im", "is", "g", "t", "hpc");
    const generation = fc.integer({ min: 2, max: 9 });
    const attributes = fc.constantFrom("", "d", "n", "dn", "e", "i", "a", "id", "in", "ia", "en", "-flex");
    const size = fc.constantFrom("medium", "large", "xlarge", "2xlarge", "metal");
    fc.assert(
      fc.property(family, generation, attributes, size, fc.boolean(), (f, g, rest, s, graviton) => {
        const name = `${f}${g}${graviton ? `g${rest.replace("-flex", "")}` : rest}.${s}`;
        expect(instanceTypeArchitecture(name)).toBe(graviton ? "arm64" : "x86_64");
      }),
    );
  });

  it("gives no answer for a name that is no instance type", () => {
    expect(instanceTypeArchitecture("large")).toBeUndefined();
  });
});

describe("amiArchitectureOf", () => {
  it("follows the instance type when the blueprint gives no architecture, and keeps one it gives", () => {
    expect(amiArchitectureOf({ instanceType: "c6gd.2xlarge", ami: {} })).toBe("arm64");
    expect(amiArchitectureOf({ instanceType: "m5.xlarge", ami: {} })).toBe("x86_64");
    expect(amiArchitectureOf({ instanceType: "m5.xlarge", ami: { architecture: "arm64" } })).toBe("arm64");
  });
});
