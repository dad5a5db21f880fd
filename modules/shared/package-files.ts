/**
 * Files the package ships beside its code (charts/, patches/): found by walking up from this file,
 * which lives at modules/shared/ in the sources and at dist/modules/shared/ once compiled.
 */
import { existsSync } from "fs";
import * as path from "path";

export function packageFile(relative: string, from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`outposts-eks: ${relative} is missing from the package (searched up from ${from})`);
  }
}
