/**
 * cdktf records where every token was created (`creationStack`, shown only when a token cannot be
 * resolved) by capturing and formatting the whole call stack, at every token. Formatting is the cost:
 * a third of building the default blueprint's constructs (npm run bench, `node --cpu-prof`). This
 * keeps the capture and formats it on first read, so the stack an error shows is the same.
 */
import * as path from "path";

const DEFERRED = Symbol.for("outposts-eks.deferred-token-stack-traces");

type Capture = (below?: (...args: never[]) => unknown) => string[];
type DeferredCapture = Capture & { [DEFERRED]?: Capture };

/**
 * The frames of `holder.stack` as cdktf formats them. The Proxy's target is the array itself, filled
 * on the first use of any trap, so it behaves as the plain array cdktf would have made (reads, writes,
 * freezing, JSON) and no Proxy invariant can differ from its target.
 */
function lazyFrames(holder: { stack?: string }): string[] {
  const frames: string[] = [];
  let filled = false;
  const fill = (): string[] => {
    if (!filled) {
      filled = true;
      frames.push(...String(holder.stack ?? "").split("\n").slice(1).map((line) => line.replace(/^\s*at\s+/, "")));
    }
    return frames;
  };
  const handler: ProxyHandler<string[]> = {};
  for (const trap of Object.getOwnPropertyNames(Reflect) as (keyof typeof Reflect & keyof ProxyHandler<string[]>)[]) {
    (handler as Record<string, unknown>)[trap] = (_target: string[], ...args: unknown[]) => (Reflect[trap] as (...a: unknown[]) => unknown)(fill(), ...args);
  }
  return new Proxy(frames, handler);
}

/**
 * Makes the cdktf this process loaded format token creation stacks only when one is read. Idempotent.
 * @param cdktfRoot the cdktf package directory; by default the one `require("cdktf")` resolves
 */
export function deferCdktfTokenStackTraces(cdktfRoot = path.dirname(require.resolve("cdktf/package.json"))): void {
  const stackTrace = cdktfStackTraceModule(cdktfRoot);
  if (stackTrace.captureStackTrace[DEFERRED]) return;
  const deferred: DeferredCapture = function captureStackTrace(below) {
    const holder: { stack?: string } = {};
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below ?? deferred);
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
    return lazyFrames(holder);
  };
  // The capture it replaces, kept for restoreCdktfTokenStackTraces.
  deferred[DEFERRED] = stackTrace.captureStackTrace;
  stackTrace.captureStackTrace = deferred;
}

/** Puts cdktf's own capture back (for a test that compares the two). Idempotent. */
export function restoreCdktfTokenStackTraces(cdktfRoot = path.dirname(require.resolve("cdktf/package.json"))): void {
  const stackTrace = cdktfStackTraceModule(cdktfRoot);
  const original = stackTrace.captureStackTrace[DEFERRED];
  if (original) stackTrace.captureStackTrace = original;
}

function cdktfStackTraceModule(cdktfRoot: string): { captureStackTrace: DeferredCapture } {
  // cdktf's modules call it through this exports object, so replacing the property reaches them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(path.join(cdktfRoot, "lib/tokens/private/stack-trace")));
}
