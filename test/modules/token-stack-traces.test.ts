import { IResolvable, Lazy, Tokenization } from "cdktf";
import * as path from "path";
import { deferCdktfTokenStackTraces, restoreCdktfTokenStackTraces } from "../../modules/shared/token-stack-traces";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require(require.resolve(path.join(path.dirname(require.resolve("cdktf/package.json")), "lib/tokens/private/stack-trace")));

function tokenMadeHere(): IResolvable {
  return Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).firstToken!;
}

describe("deferCdktfTokenStackTraces", () => {
  // test/setup.ts defers them for every test file: each test here starts from cdktf's own capture.
  const original = (() => {
    restoreCdktfTokenStackTraces();
    return stackTrace.captureStackTrace;
  })();
  beforeEach(() => restoreCdktfTokenStackTraces());
  afterAll(() => deferCdktfTokenStackTraces());

  it("keeps the creation stack cdktf shows for a token, formatted when it is read", () => {
    const before = tokenMadeHere().creationStack;
    deferCdktfTokenStackTraces();
    expect(stackTrace.captureStackTrace).not.toBe(original);
    const deferred = tokenMadeHere().creationStack;
    expect(Array.isArray(deferred)).toBe(true);
    expect(deferred.length).toBe(before.length);
    expect(deferred[0]).toMatch(/^new Lazy/);
    expect(deferred.join("\n")).toContain("tokenMadeHere");
    // The same frames as cdktf's own capture, but for line and column numbers of the calls here.
    const shape = (frames: readonly string[]) => frames.map((frame) => frame.replace(/:\d+:\d+\)?$/, ""));
    expect(shape(JSON.parse(JSON.stringify(deferred)))).toEqual(shape(before));
  });

  it("behaves as a plain array when written, frozen or cloned, read first or not", () => {
    deferCdktfTokenStackTraces();
    const written = tokenMadeHere().creationStack as string[];
    const length = written.length;
    written.push("pushed here");
    expect([written.length, written[length]]).toEqual([length + 1, "pushed here"]);
    const frozenUnread = tokenMadeHere().creationStack;
    Object.freeze(frozenUnread);
    expect(Object.isFrozen(frozenUnread)).toBe(true);
    expect(frozenUnread.join("\n")).toContain("tokenMadeHere");
    expect(structuredClone([...frozenUnread])).toEqual([...frozenUnread]);
  });

  it("is idempotent", () => {
    deferCdktfTokenStackTraces();
    const once = stackTrace.captureStackTrace;
    deferCdktfTokenStackTraces();
    expect(stackTrace.captureStackTrace).toBe(once);
    restoreCdktfTokenStackTraces();
    restoreCdktfTokenStackTraces();
    expect(stackTrace.captureStackTrace).toBe(original);
  });
});
