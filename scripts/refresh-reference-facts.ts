/**
 * Refreshes test/facts/reference-facts.json from shared/reference (`npm run reference-facts`): the
 * official Load Balancer Controller policy's actions and both charts' value keys, which the tests
 * check against on any clone.
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { factsFromReference, findReferenceDir, REFERENCE_FACTS_FILE } from "../test/helpers/reference";

const referenceDir = findReferenceDir();
if (!referenceDir) {
  process.stderr.write("shared/reference not found beside the project or above it; nothing refreshed\n");
  process.exit(1);
}
writeFileSync(REFERENCE_FACTS_FILE, `${JSON.stringify(factsFromReference(referenceDir), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), REFERENCE_FACTS_FILE)} from ${referenceDir}\n`);
