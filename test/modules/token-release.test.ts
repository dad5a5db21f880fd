/**
 * modules/shared/token-release.ts forgets the cdktf tokens a piece of work registered. It relies on
 * cdktf's private token map: these tests pin the shape it expects (cdktf 0.21) and that any other
 * shape releases nothing rather than everything.
 */
import { Token } from "cdktf";
import { cdktfTokenMap, releasingCdktfTokens } from "../../modules/shared/token-release";

type Global = { __cdktfTokenMap?: unknown };

describe("releasing cdktf's tokens", () => {
  it("finds cdktf's token map in the shape it expects: two Maps and an integer counter", () => {
    Token.asString({ resolve: () => "registered" });
    const raw = (globalThis as Global).__cdktfTokenMap as Record<string, unknown>;
    expect(raw.stringTokenMap).toBeInstanceOf(Map);
    expect(raw.numberTokenMap).toBeInstanceOf(Map);
    expect(Number.isInteger(raw.tokenCounter)).toBe(true);
    expect(cdktfTokenMap()).toBe(raw);
  });

  it("forgets the tokens the work registered and keeps the ones registered before", () => {
    const kept = Token.asString({ resolve: () => "kept" });
    const map = cdktfTokenMap();
    if (map === undefined) throw new Error("cdktf's token map is missing");
    const keysBefore = [...map.stringTokenMap.keys()];
    let sizeDuring = 0;
    releasingCdktfTokens(() => {
      Token.asString({ resolve: () => "released" });
      sizeDuring = map.stringTokenMap.size;
    });
    expect(sizeDuring).toBe(keysBefore.length + 1);
    expect([...map.stringTokenMap.keys()]).toEqual(keysBefore);
    expect(kept).toMatch(/TOKEN/);
  });

  it.each([
    ["a counter that is not a number", { stringTokenMap: new Map([["TOKEN.1", 1]]), numberTokenMap: new Map([[1, 1]]), tokenCounter: "5" }],
    ["maps that are plain objects", { stringTokenMap: { "TOKEN.1": 1 }, numberTokenMap: new Map([[1, 1]]), tokenCounter: 0 }],
    ["no counter", { stringTokenMap: new Map([["TOKEN.1", 1]]), numberTokenMap: new Map([[1, 1]]) }],
  ])("releases nothing from a token map with %s", (_what, shape) => {
    const real = (globalThis as Global).__cdktfTokenMap;
    (globalThis as Global).__cdktfTokenMap = shape;
    try {
      expect(cdktfTokenMap()).toBeUndefined();
      expect(releasingCdktfTokens(() => "done")).toBe("done");
      expect(shape.numberTokenMap.size).toBe(1);
      expect(shape.stringTokenMap instanceof Map ? shape.stringTokenMap.size : Object.keys(shape.stringTokenMap).length).toBe(1);
    } finally {
      (globalThis as Global).__cdktfTokenMap = real;
    }
  });
});
