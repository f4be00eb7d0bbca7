#!/usr/bin/env bash
# Fetches Debian's Xen hypervisor for arm64 into <cache>/xen/<version>/ (the cache: scripts/paths.sh) without touching the
# system's apt configuration (REFERENCE §6): apt gets its own sources file, lists and cache.
# Usage: scripts/fetch-xen.sh [4.17|4.20]   Idempotent: does nothing when the binary is there.
set -euo pipefail

version="${1:-4.17}"
# shellcheck source=paths.sh
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
root="$xdb_root"
case "$version" in
  4.17) suites=("bookworm" "bookworm-updates" "bookworm-security") ;;
  4.20) suites=("trixie" "trixie-updates" "trixie-security") ;;
  *) echo "fetch-xen: unknown Xen version '$version' (expected 4.17 or 4.20)" >&2; exit 2 ;;
esac
pkg="xen-hypervisor-${version}-arm64"
dest="$xdb_cache/xen/$version"
if [[ -s "$dest/xen" ]]; then
  echo "fetch-xen: $pkg already in $dest"
  exit 0
fi

work="$xdb_cache/apt-arm64-$version"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
: > "$work/sources.list"
for suite in "${suites[@]}"; do
  mirror="http://deb.debian.org/debian"
  [[ "$suite" == *-security ]] && mirror="http://deb.debian.org/debian-security"
  echo "deb [arch=arm64 signed-by=$keyring] $mirror $suite main" >> "$work/sources.list"
done
# shellcheck source=apt-extract.sh
source "$root/scripts/apt-extract.sh"
apt_extract "$work" arm64 "$pkg" fetch-xen
bin="$(ls "$work"/x/boot/xen-"$version"*-arm64 2>/dev/null | grep -v -e '\.efi$' -e '\.config$' | head -n1)"
if [[ -z "$bin" ]]; then
  echo "fetch-xen: $deb has no boot/xen-${version}-arm64" >&2
  exit 1
fi
cp "$bin" "$dest/xen.tmp" && mv "$dest/xen.tmp" "$dest/xen"
dpkg-deb -f "$deb" Version > "$dest/VERSION"
rm -rf "$work/x"
echo "fetch-xen: $pkg $(cat "$dest/VERSION") -> $dest/xen"
