#!/usr/bin/env bash
# Fetches QEMU 10 (Debian bookworm-backports' qemu-system-arm, for the host's architecture) into
# <cache>/qemu/ (the cache: scripts/paths.sh) without touching the system's apt configuration, as fetch-xen.sh does for Xen:
# Debian 12's QEMU 7.2 hangs a Zephyr Dom0 at random (timer overflow, fixed in QEMU 8.2; REFERENCE §7).
# Usage: scripts/fetch-qemu.sh   Idempotent: does nothing when the binary is there.
#
# Result: <cache>/qemu/bin/qemu-system-aarch64 and <cache>/qemu/VERSION (the Debian package version).
# The binary runs on Debian 12's own libraries (the ones qemu-system-arm 7.2 pulls in; checked
# with ldd below). The empty <cache>/qemu/bin/qemu-bundle/ next to it makes QEMU look for its
# modules, data and config under that folder instead of /usr: without it QEMU 10 tries to load
# Debian 12's QEMU 7.2 modules from /usr/lib/x86_64-linux-gnu/qemu and prints "Only modules from
# the same build can be loaded" at every start. The project's boot (-nic none, -nographic, -kernel,
# -dtb, loader) and dumpdtb need none of qemu-system-data's or qemu-system-common's files.
set -euo pipefail

# shellcheck source=paths.sh
source "$(dirname "${BASH_SOURCE[0]}")/paths.sh"
root="$xdb_root"
arch="$(dpkg --print-architecture)"
pkg=qemu-system-arm
dest="$xdb_cache/qemu"
bin="$dest/bin/qemu-system-aarch64"
if [[ -x "$bin" && -s "$dest/VERSION" && -d "$dest/bin/qemu-bundle" ]]; then
  echo "fetch-qemu: $pkg $(cat "$dest/VERSION") already in $dest"
  exit 0
fi

work="$xdb_cache/apt-$arch-bookworm-backports"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [arch=$arch signed-by=$keyring] http://deb.debian.org/debian bookworm-backports main" > "$work/sources.list"
# shellcheck source=apt-extract.sh
source "$root/scripts/apt-extract.sh"
apt_extract "$work" "$arch" "$pkg" fetch-qemu
if [[ ! -x "$work/x/usr/bin/qemu-system-aarch64" ]]; then
  echo "fetch-qemu: $deb has no usr/bin/qemu-system-aarch64" >&2
  exit 1
fi
# Debian 12 has every library it links (same sonames, versions at least those it asks for);
# they come with Debian's qemu-system-arm, which setup installs.
missing="$(ldd "$work/x/usr/bin/qemu-system-aarch64" | awk '/not found/ { print $1 }' | tr '\n' ' ')"
if [[ -n "$missing" ]]; then
  echo "fetch-qemu: $pkg from bookworm-backports needs libraries this host lacks: $missing(apt-get install qemu-system-arm brings them)" >&2
  exit 1
fi
staged="$dest/bin.tmp"
rm -rf "$staged"
mkdir -p "$staged/qemu-bundle"
cp "$work/x/usr/bin/qemu-system-aarch64" "$staged/qemu-system-aarch64"
version_line="$("$staged/qemu-system-aarch64" --version | head -n1)"
case "$version_line" in
  "QEMU emulator version "*) ;;
  *) echo "fetch-qemu: the extracted binary does not run: '$version_line'" >&2; exit 1 ;;
esac
rm -rf "$dest/bin"
mv "$staged" "$dest/bin"
dpkg-deb -f "$deb" Version > "$dest/VERSION"
rm -rf "$work/x"
echo "fetch-qemu: $version_line -> $bin"
