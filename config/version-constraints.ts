/**
 * Terraform version constraints (`required_version`): parsing versions, and whether any version at all
 * satisfies a constraint (issue 31: ">= 1.11, < 1.5" passed the pattern and failed every `terraform init`).
 * Operators as Terraform documents them (Terraform language, "Version constraints"): =, !=, >, >=, <, <=
 * and ~> (the rightmost given part may grow: ~> 1.11 admits 1.x from 1.11, ~> 1.11.2 admits 1.11.x from 1.11.2).
 */
export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split("-")[0].split(".").map(Number);
  return [major, minor, patch];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

interface Term {
  readonly operator: string;
  readonly version: Version;
  /** How many parts the term gave (for ~>). */
  readonly parts: number;
}

function termsOf(constraint: string): Term[] {
  return constraint.split(",").flatMap((text) => {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*([0-9][0-9A-Za-z.-]*)\s*$/.exec(text);
    return match ? [{ operator: match[1] ?? "=", version: parseVersion(match[2]), parts: match[2].split("-")[0].split(".").length }] : [];
  });
}

function admits(term: Term, version: Version): boolean {
  const order = compareVersions(version, term.version);
  switch (term.operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    default: {
      // ~>: at least the version, and the parts before the rightmost given one fixed.
      const fixed = Math.max(1, term.parts - 1);
      return order >= 0 && version.slice(0, fixed).every((part, i) => part === term.version[i]);
    }
  }
}

/**
 * Whether some version satisfies every term. The candidates are each term's version and its
 * neighbours on every part, which include a point of every non-empty interval the terms bound.
 */
export function constraintSatisfiable(constraint: string): boolean {
  const terms = termsOf(constraint);
  if (terms.length === 0) return true;
  const candidates: Version[] = [[0, 0, 0]];
  for (const { version: [major, minor, patch] } of terms) {
    candidates.push(
      [major, minor, patch],
      [major, minor, patch + 1],
      [major, minor + 1, 0],
      [major + 1, 0, 0],
      [major, minor, Math.max(0, patch - 1)],
      [major, Math.max(0, minor - 1), 9999],
      [Math.max(0, major - 1), 9999, 9999],
    );
  }
  return candidates.some((candidate) => terms.every((term) => admits(term, candidate)));
}
