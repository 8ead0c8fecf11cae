#!/usr/bin/env bash
# CPU time (user + system) of the tool's instant commands against `node -e 0`, measured with hyperfine:
#   bash bench/startup.sh [RUNS=30]
# --help and --version (commander and the option declarations only) and --check-only --images images (the
# definitions and the SCS rules, no OpenStack client). The bar (issue 10): --help within 1.5 × the CPU of
# `node -e 0`. Needs the build (npm run build; made when missing) and hyperfine (Debian: apt-get install
# hyperfine). Runs without a shell (-N) after 3 warm-ups; each ratio is of the means of user + system time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
command -v hyperfine >/dev/null || { echo 'hyperfine is not installed (Debian: apt-get install hyperfine)' >&2; exit 2; }
[[ -f dist/cli/main.js ]] || npm run build >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/startup.json" \
  'node -e 0' \
  'node bin/image-manager.js --help' \
  'node bin/image-manager.js --version' \
  'node bin/image-manager.js --check-only --images images' >&2

node - "$out/startup.json" <<'JS'
const { results } = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const ms = (seconds) => (seconds * 1000).toFixed(1);
const cpu = (r) => r.user + r.system;
const base = results[0];
const row = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(42) : cell.padStart(8))).join(' ');
console.log(`\n${row(['command', 'CPU ms', 'user', 'system', 'x CPU', 'wall ms', 'x wall'])}`);
for (const r of results) {
  const ratio = (cpu(r) / cpu(base)).toFixed(2);
  const name = r.command.replace('node bin/image-manager.js', 'image-manager');
  console.log(row([name, ms(cpu(r)), ms(r.user), ms(r.system), ratio, ms(r.mean), (r.mean / base.mean).toFixed(2)]));
}
const help = cpu(results[1]) / cpu(base);
console.log(`\n--help: ${help.toFixed(2)} x the CPU of node -e 0 (bar: 1.5): ${help <= 1.5 ? 'within' : 'OVER'}`);
JS
