#!/usr/bin/env bash
# Host setup for xen-dom0-boot on Debian 12: installs what is missing, then npm ci, build,
# Xen 4.17 arm64 into .cache/, and the test image. Idempotent; a second run takes seconds.
# Usage: npm run setup [-- --xen 4.20]   (--xen may repeat; 4.17 is always fetched)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
xens=("4.17")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --xen) xens+=("${2:?--xen needs a version, 4.17 or 4.20}"); shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument '$1' (expected --xen VERSION)" >&2; exit 2 ;;
  esac
done

step() { printf 'setup: %s\n' "$*"; }

# 1. Debian packages (sudo when not root).
# procps: ps, which tree-kill needs where a process group cannot be signalled.
packages=(qemu-system-arm device-tree-compiler gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu procps)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  step "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  step "Debian packages present (${packages[*]})"
fi

# 2. npm ci, skipped when node_modules matches the lockfile already.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.xen-dom0-boot-lock.sha256
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" ]]; then
  step "node_modules up to date"
else
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# 3. Build (tsc is incremental).
step "build"
npm run --silent build

# 4. Xen from Debian's arm64 archive into .cache/xen/<version>/xen.
for version in "${xens[@]}"; do
  bash scripts/fetch-xen.sh "$version"
done

# 5. The tiny arm64 test image, from example/test-image with the cross compiler.
node --input-type=module -e "
  const { ensureTestImage } = await import('./dist/image/test-image.js');
  console.log('setup: test image ' + await ensureTestImage());
"
step "done"
