#!/usr/bin/env bash
# The release flow, end to end, against a throwaway registry:
#   clean clone of HEAD → pnpm version-packages (changesets) → build → `pnpm release` (changeset publish) of every
#   public package to Verdaccio on 127.0.0.1 → in a fresh folder outside the repository, npm installs the packages
#   from it and runs: an ESM program (slab on buddy), a strict TypeScript program (tsc --strict, moduleResolution
#   nodenext and bundler; plus every package README's example), and an esbuild browser bundle in headless Chromium.
# Verdaccio is installed into a temp dir, started and stopped here. Nothing outside the temp dir is changed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$repo/.ci/release-check"
VERDACCIO_VERSION=5.33.0
work="$(mktemp -d "${TMPDIR:-/tmp}/mm-release-check.XXXXXX")"
verdaccio_pid=""
cleanup() {
  if [ -n "$verdaccio_pid" ]; then kill "$verdaccio_pid" 2>/dev/null || true; wait "$verdaccio_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
began=$SECONDS
phase() { printf -- '--- release-check: %s (%ss)\n' "$*" "$((SECONDS - began))"; }
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }; }
public_dirs() { # packages/* that are not private, as paths relative to the clone
  (cd "$1" && for dir in packages/*/; do
    node -e 'process.exit(require(`./${process.argv[1]}package.json`).private ? 1 : 0)' "$dir" && echo "${dir%/}"
  done) || true
}

phase "clean clone of $(git -C "$repo" rev-parse --short HEAD)"
clone="$work/clone"
quiet git clone --quiet --no-local --no-checkout "$repo" "$clone"
quiet git -C "$clone" checkout --quiet --detach "$(git -C "$repo" rev-parse HEAD)"
cd "$clone"
quiet pnpm install --frozen-lockfile --prefer-offline
mapfile -t dirs < <(public_dirs "$clone")
declare -A before
for dir in "${dirs[@]}"; do before[$dir]=$(node -p "require('./$dir/package.json').version"); done

phase "pnpm version-packages"
quiet pnpm version-packages
for dir in "${dirs[@]}"; do
  name=$(node -p "require('./$dir/package.json').name")
  version=$(node -p "require('./$dir/package.json').version")
  if [ "$version" = "${before[$dir]}" ]; then echo "$name stayed at $version: it needs a changeset" >&2; exit 1; fi
  if [ "${before[$dir]}" = 0.0.0 ] && [ "$version" != 0.1.0 ]; then
    echo "$name: a first release is 0.1.0, got $version (a major changeset?)" >&2; exit 1
  fi
  if [ ! -s "$dir/CHANGELOG.md" ]; then echo "$name: no CHANGELOG.md after version-packages" >&2; exit 1; fi
  echo "$name ${before[$dir]} → $version; $dir/CHANGELOG.md:"
  sed -n '3,$p' "$dir/CHANGELOG.md" | sed '/^$/d; s/^/    /' | cut -c1-150
done
left=$(find .changeset -name '*.md' ! -name README.md)
if [ -n "$left" ]; then echo "changesets left after version-packages: $left" >&2; exit 1; fi

phase "verdaccio $VERDACCIO_VERSION into a temp dir"
mkdir -p "$work/verdaccio"
cat >"$work/verdaccio/package.json" <<EOF
{ "private": true, "dependencies": { "verdaccio": "$VERDACCIO_VERSION" }, "overrides": { "node-fetch": "2.7.0" } }
EOF
quiet npm install --prefix "$work/verdaccio" --no-audit --no-fund --loglevel=error
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
registry="http://127.0.0.1:$port/"
cat >"$work/verdaccio/config.yaml" <<EOF
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: 10
uplinks: {}
packages:
  '@mm/*':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
listen: 127.0.0.1:$port
log: { type: stdout, format: pretty, level: warn }
EOF
node "$work/verdaccio/node_modules/verdaccio/bin/verdaccio" --config "$work/verdaccio/config.yaml" >"$work/verdaccio.log" 2>&1 &
verdaccio_pid=$!
for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1] + "-/ping").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$registry"; then break; fi
  if ! kill -0 "$verdaccio_pid" 2>/dev/null; then cat "$work/verdaccio.log"; exit 1; fi
  sleep 0.2
done
token=$(node -e '
  fetch(process.argv[1] + "-/user/org.couchdb.user:release-check", {
    method: "PUT", headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-check", password: "release-check-" + process.pid }),
  }).then(async (r) => { const body = await r.json(); if (!body.token) throw new Error(JSON.stringify(body)); console.log(body.token); })
' "$registry")
printf '//127.0.0.1:%s/:_authToken=%s\nregistry=%s\n' "$port" "$token" "$registry" >"$work/npmrc"
echo "registry $registry (pid $verdaccio_pid)"

phase "pnpm release (build + changeset publish) to $registry"
export NPM_CONFIG_USERCONFIG="$work/npmrc" npm_config_registry="$registry"
quiet pnpm release
grep -E "published|New tag" "$work/last.log" | sed 's/^/    /' || true
for dir in "${dirs[@]}"; do
  spec=$(node -p "const m = require('./$dir/package.json'); m.name + '@' + m.version")
  npm view "$spec" version --registry "$registry" >/dev/null || { echo "$spec is not on $registry" >&2; exit 1; }
done

phase "fresh project outside the repository: npm install from $registry"
app="$work/app"
mkdir -p "$app"
cp "$fixtures"/esm.mjs "$fixtures"/typed.ts "$fixtures"/browser.mjs "$app/"
names=()
for dir in "${dirs[@]}"; do names+=("$(node -p "require('./$dir/package.json').name")"); done
echo '{ "name": "mm-release-check-app", "private": true, "type": "module" }' >"$app/package.json"
(cd "$app" && quiet npm install "${names[@]}" --no-audit --no-fund --loglevel=error)
(cd "$app" && npm ls --all 2>/dev/null | sed 's/^/    /')
# Each README's first ```ts block under "## Example", as a user would paste it.
for dir in "${dirs[@]}"; do
  awk '/^## Example/{inside=1} inside && /^```ts$/{code=1; next} code && /^```/{exit} code{print}' "$dir/README.md" \
    >"$app/readme-$(basename "$dir").ts"
done

phase "ESM program (node)"
(cd "$app" && node esm.mjs && node -e 'require("@mm/slab"); console.log("require(esm) ok")')

phase "strict TypeScript: moduleResolution nodenext (emitted and run) and bundler"
types="$clone/node_modules/@types"
cat >"$app/tsconfig.nodenext.json" <<EOF
{ "compilerOptions": { "strict": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
  "lib": ["es2022", "dom"], "typeRoots": ["$types"], "types": ["node"], "skipLibCheck": false, "outDir": "out" },
  "include": ["*.ts"] }
EOF
cat >"$app/tsconfig.bundler.json" <<EOF
{ "compilerOptions": { "strict": true, "module": "preserve", "moduleResolution": "bundler", "target": "es2022",
  "lib": ["es2022", "dom"], "typeRoots": ["$types"], "types": ["node"], "skipLibCheck": false, "noEmit": true },
  "include": ["*.ts"] }
EOF
tsc="$clone/node_modules/.bin/tsc"
(cd "$app" && "$tsc" -p tsconfig.nodenext.json && echo "tsc nodenext: no errors" && "$tsc" -p tsconfig.bundler.json &&
  echo "tsc bundler: no errors" && echo '{ "type": "module" }' >out/package.json)
(cd "$app/out" && node typed.js && for example in readme-*.js; do
  node "$example" >"$work/example.log" 2>&1 || { cat "$work/example.log"; exit 1; }
  echo "$example ran"
done)

phase "browser: esbuild bundle in headless Chromium"
chromium=$(bash "$repo/.ci/chromium.sh")
(cd "$app" && "$clone/node_modules/.bin/esbuild" browser.mjs --bundle --minify --format=iife --platform=browser \
  --outfile=bundle.js --log-level=warning)
node -e '
  const fs = require("fs"), [, bundle, html] = process.argv;
  fs.writeFileSync(html, `<!doctype html><meta charset="utf-8"><pre id="result">not run</pre><script>${fs.readFileSync(bundle, "utf8")}</script>`);
' "$app/bundle.js" "$app/index.html"
dom=$(timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --user-data-dir="$work/chromium-profile" --dump-dom "file://$app/index.html" 2>"$work/chromium.log") || {
  cat "$work/chromium.log" >&2; exit 1; }
result=$(printf '%s' "$dom" | sed -n 's/.*<pre id="result">\([^<]*\)<.*/\1/p')
echo "$result ($(wc -c <"$app/bundle.js") bytes bundled)"
[[ "$result" == "browser ok:"* ]]

phase "passed"
