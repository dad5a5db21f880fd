/**
 * cdktf keeps every token it ever encoded in one process-wide map (`global.__cdktfTokenMap`, cdktf
 * lib/tokens/private/token-map.js), so that a string such as `${TfToken[TOKEN.42]}` can be turned
 * back into its token. Nothing removes an entry, and each token references the construct it reads,
 * so every construct tree of the process stays reachable after its App has synthesized: a fleet of
 * 200 sites held about 590 MB of heap after synthesis, one site a few MB (issue 33, measured with
 * `node --expose-gc`). This drops the entries a piece of work registered, once its output is written.
 */

interface CdktfTokenMap {
  stringTokenMap: Map<string, unknown>;
  numberTokenMap: Map<number, unknown>;
  tokenCounter: number;
}

/**
 * cdktf's token map when it has the shape this release was written for (two Maps and a numeric
 * counter, cdktf 0.21); undefined otherwise. A runtime that keeps its tokens otherwise (a counter
 * that is not a number would make every key compare as "not before", deleting every token, module
 * constants included) gets no release: memory grows, but every token still resolves.
 */
export function cdktfTokenMap(candidate: unknown = (globalThis as { __cdktfTokenMap?: unknown }).__cdktfTokenMap): CdktfTokenMap | undefined {
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const { stringTokenMap, numberTokenMap, tokenCounter } = candidate as Partial<Record<keyof CdktfTokenMap, unknown>>;
  if (!(stringTokenMap instanceof Map) || !(numberTokenMap instanceof Map) || typeof tokenCounter !== "number" || !Number.isInteger(tokenCounter)) return undefined;
  return candidate as CdktfTokenMap;
}

/**
 * Runs `work` (build an App and synthesize it), then forgets the tokens registered meanwhile. Only
 * for work whose constructs and tokens nothing uses afterwards: a token string kept past it no longer
 * resolves (cdktf throws "Unrecognized token key", never a wrong value). Tokens registered before,
 * such as those of module-level constants, stay. The counter goes on, so keys are never reused.
 */
export function releasingCdktfTokens<T>(work: () => T): T {
  const present = (globalThis as { __cdktfTokenMap?: unknown }).__cdktfTokenMap !== undefined;
  const before = cdktfTokenMap();
  // A map of another shape before the work: nothing is released. No map yet: cdktf creates it during the work, from counter 0.
  const first = before?.tokenCounter ?? (present ? undefined : 0);
  const result = work();
  const map = cdktfTokenMap();
  if (first === undefined || map === undefined || (before !== undefined && map !== before)) return result;
  // String keys are `<display hint>.<counter>` (registerStringKey); number keys are the counter.
  for (const key of map.stringTokenMap.keys()) if (Number(key.slice(key.lastIndexOf(".") + 1)) >= first) map.stringTokenMap.delete(key);
  for (const key of map.numberTokenMap.keys()) if (key >= first) map.numberTokenMap.delete(key);
  return result;
}
