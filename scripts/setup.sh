#!/usr/bin/env bash
# Host setup for xen-dom0-boot on Debian 12: installs what is missing, then (in the checkout) npm ci
# and the build, Xen 4.17 arm64 and QEMU 10 (bookworm-backports) into the cache, and the test image. Idempotent.
# Usage: npm run setup [-- [--xen 4.20] [--zephyr-deps]], installed: xen-dom0-boot setup [--xen 4.20] [--zephyr-deps]
#   --xen may repeat (4.17 is always fetched); --zephyr-deps: also Debian's cmake, ninja and Python modules for build.toolchain "cross-compile"
set -euo pipefail

# xdb_root, xdb_checkout, xdb_cache (scripts/paths.sh); the cache is exported so every step agrees on it.
# shellcheck source=paths.sh
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
export XEN_DOM0_BOOT_CACHE="$xdb_cache"
root="$xdb_root"
cd "$root"
xens=("4.17")
zephyr_deps=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --xen) xens+=("${2:?--xen needs a version, 4.17 or 4.20}"); shift 2 ;;
    --zephyr-deps) zephyr_deps=1; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument '$1' (expected --xen VERSION or --zephyr-deps)" >&2; exit 2 ;;
  esac
done

step() { printf 'setup: %s\n' "$*"; }
step "cache $xdb_cache ($([[ $xdb_checkout -eq 1 ]] && echo 'repository checkout' || echo 'installed package'))"

# Installs whichever of the Debian packages $2... are missing (sudo when not root); $1 names them in messages.
install_missing() {
  local what="$1"; shift
  local missing=() pkg sudo=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    step "$what present ($*)"
    return
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: missing Debian packages: ${missing[*]}; installing them needs root and there is no sudo:" \
        "run 'apt-get install ${missing[*]}' as root, then setup again" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  step "installing $what: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. Debian packages.
# procps: ps, which tree-kill needs where a process group cannot be signalled.
# chromium, tmux, zsh (checkout only, for the tests): the headless browser test/report/drift-html.browser.test.ts
# draws drift.html in, the real terminal of test/terminal/, the shell test/cli-unit/completion.test.ts completes in.
packages=(qemu-system-arm device-tree-compiler gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu procps)
[[ $xdb_checkout -eq 1 ]] && packages+=(chromium tmux zsh)
install_missing "Debian packages" "${packages[@]}"

# 1b. --zephyr-deps: what a Zephyr build with Debian's toolchain and Python needs (build.toolchain "cross-compile").
# python3-ruamel.yaml is named on its own: python3-pykwalify only recommends it, and recommends are not installed.
if [[ $zephyr_deps -eq 1 ]]; then
  install_missing "Zephyr build dependencies" cmake ninja-build python3-pyelftools python3-yaml python3-packaging \
    python3-jsonschema python3-pykwalify python3-ruamel.yaml python3-dateutil
fi

# 2. In the checkout: npm ci (skipped when node_modules matches the lockfile already) and the build
#    (tsc is incremental). An installed package was built when it was packed: neither runs.
if [[ $xdb_checkout -eq 1 ]]; then
  lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  stamp=node_modules/.xen-dom0-boot-lock.sha256
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" ]]; then
    step "node_modules up to date"
    step "build"
    npm run --silent build
  else
    step "npm ci and the build (package.json's prepare script)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > "$stamp"
  fi
else
  [[ -f dist/xen-dom0-boot.cjs ]] || { echo "setup: $root has no dist/: this package was packed without its build" >&2; exit 1; }
  step "installed package $root: no npm ci, no build"
fi

# 3. Xen from Debian's arm64 archive into <cache>/xen/<version>/xen.
for version in "${xens[@]}"; do
  bash scripts/fetch-xen.sh "$version"
done

# 4. QEMU 10 from bookworm-backports into <cache>/qemu/ (preferred over Debian 12's QEMU 7.2,
#    which hangs a Zephyr Dom0 at random; the Debian package above stays as the fallback).
bash scripts/fetch-qemu.sh

# 5. The tiny arm64 test image, from example/test-image with the cross compiler, into <cache>/test-image/.
node --input-type=module -e "
  const { ensureTestImage } = await import('./dist/image/test-image.js');
  console.log('setup: test image ' + await ensureTestImage());
"
step "done"
