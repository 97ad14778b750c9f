#!/usr/bin/env bash
# The install path of the README, checked as a new user would take it: pack fixloop, install the
# tarball into a fresh project (with vitest, which the bundled demo's tests use), and run it there
# with no build step and no tsx on the user's side.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/fixloop-pack-XXXXXX")
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/fixloop-*.tgz)
mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
npm i -D --no-audit --no-fund "$tarball" vitest@~4.1 >/dev/null
test ! -e node_modules/fixloop/src || { echo "pack-check: the tarball ships src/" >&2; exit 1; }
test ! -e node_modules/tsx || { echo "pack-check: tsx was installed with fixloop; it must not be needed at run time" >&2; exit 1; }
npx fixloop --version
npx fixloop help run | head -3
npx fixloop demo --json > events.jsonl
tail -1 events.jsonl | node -e 'const e = JSON.parse(require("fs").readFileSync(0, "utf8")); if (e.type !== "run:end" || e.status !== "green") { console.error("pack-check: the demo did not end green:", e.status); process.exit(1); } console.log(`pack-check: demo ${e.status}, ${e.commits.length} fix committed`);'
