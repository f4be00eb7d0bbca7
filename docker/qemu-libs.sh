#!/usr/bin/env bash
# Prints the Debian packages holding the shared libraries a binary links (ldd), one a line, sorted:
# docker/Dockerfile's runtime stage installs them for setup's QEMU 10 (scripts/fetch-qemu.sh),
# instead of Debian's qemu-system-arm 7.2, whose qemu-system-common pulls graphics and sound libraries.
# Usage: docker/qemu-libs.sh BINARY   Fails naming a library that is missing or in no package.
set -euo pipefail
binary="${1:?usage: qemu-libs.sh BINARY}"
libs="$(ldd "$binary")"
if grep -q 'not found' <<<"$libs"; then
  echo "qemu-libs: $binary needs libraries this system lacks: $(grep 'not found' <<<"$libs" | awk '{print $1}' | tr '\n' ' ')" >&2
  exit 1
fi
# Bookworm's packages own their libraries under /lib or /usr/lib (merged /usr links the two): try both.
while read -r lib; do
  owner=""
  for candidate in "$lib" "/usr$lib" "${lib#/usr}"; do
    if owner="$(dpkg-query -S "$candidate" 2>/dev/null)"; then break; fi
    owner=""
  done
  if [[ -z "$owner" ]]; then
    echo "qemu-libs: no Debian package owns $lib" >&2
    exit 1
  fi
  echo "${owner%%:*}"
done < <(awk '$2 == "=>" { print $3 }' <<<"$libs") | sort -u
