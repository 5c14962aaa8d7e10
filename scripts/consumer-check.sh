#!/usr/bin/env bash
# Packs tend as npm would publish it, installs the tarball into a scratch copy
# of test/consumer, and uses it with import, require and its declarations.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
cp -r test/consumer/. "$work/app"
cd "$work/app"
npm install --silent --no-audit --no-fund "$work/$tarball" "typescript@$(node -p "require('$root/node_modules/typescript/package.json').version")" "@types/node@$(node -p "require('$root/node_modules/@types/node/package.json').version")"
node esm.mjs
node cjs.cjs
# a second installed copy of the package, for errors that must survive copies
cp -r node_modules/tendjs node_modules/tendjs-copy
node copies.mjs
# the bin: the packed CLI starts its daemon, answers, and stops it
export TEND_HOME="$work/home"
npx --no-install tend --version
npx --no-install tend ping
npx --no-install tend kill
# the declarations under each module resolution a consumer may use, with
# skipLibCheck off so the .d.ts files themselves are checked too
for config in tsconfig.json tsconfig.node16.json tsconfig.bundler.json; do
  npx --no-install tsc -p "$config"
  echo "types ($config): ok"
done
