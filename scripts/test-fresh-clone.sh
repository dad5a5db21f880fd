#!/usr/bin/env bash
# Runs the jest suite from a fresh clone of the committed HEAD in a temporary directory, where no
# shared/ folder lies beside or above it, as on any newcomer's machine (`npm run test:fresh-clone`).
# It reuses this checkout's node_modules, then lists every skipped test and every printed skip reason.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/outposts-eks-fresh-XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks "$root" "$work/outposts-eks"
ln -s "$root/node_modules" "$work/outposts-eks/node_modules"
cd "$work/outposts-eks"
for dir in . ..; do
  if [ -d "$dir/shared/reference" ]; then echo "fresh clone: found $dir/shared beside the clone; cannot prove anything" >&2; exit 1; fi
done
status=0
# timeout: a hang catcher (15 minutes), so a hung run fails with its log instead of holding CI.
timeout --kill-after=10 900 npx jest --ci --verbose --testPathIgnorePatterns /test/node/ /test/cli/tftest-terraform\.test\.ts$ >"$work/jest.log" 2>&1 || status=$?
tail -n 6 "$work/jest.log"
echo "fresh clone without shared/: skipped tests and the reasons printed for them:"
grep -E "○ skipped|skipped:|skipped [a-z]" "$work/jest.log" | sed 's/^ */  /' | sort -u || echo "  (none)"
if [ "$status" -ne 0 ]; then
  # jest's summary of the failing tests (the light runner's failures carry no "●").
  { sed -n '/Summary of all failing tests/,$p' "$work/jest.log" | head -80; grep -E "●" "$work/jest.log" | head -40; } >&2 || true
  echo "fresh clone: jest failed" >&2
fi
exit "$status"
