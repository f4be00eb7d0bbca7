# Sourced by setup.sh, fetch-xen.sh and fetch-qemu.sh: where the tool's files go, by the rule of
# src/base/paths.ts (README, Install). Sets
#   xdb_root      the package's folder (this file's parent's parent)
#   xdb_checkout  1 in the repository checkout (a .git or tsconfig.json next to package.json), 0 installed
#   xdb_cache     $XEN_DOM0_BOOT_CACHE if set, else the checkout's .cache, else the XDG cache:
#                 $XDG_CACHE_HOME/xen-dom0-boot (when absolute), else ~/.cache/xen-dom0-boot
xdb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xdb_checkout=0
[[ -e "$xdb_root/.git" || -e "$xdb_root/tsconfig.json" ]] && xdb_checkout=1
if [[ -n "${XEN_DOM0_BOOT_CACHE:-}" ]]; then
  xdb_cache="$XEN_DOM0_BOOT_CACHE"
elif [[ $xdb_checkout -eq 1 ]]; then
  xdb_cache="$xdb_root/.cache"
elif [[ "${XDG_CACHE_HOME:-}" == /* ]]; then
  xdb_cache="$XDG_CACHE_HOME/xen-dom0-boot"
else
  xdb_cache="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/xen-dom0-boot"
fi
# Absolute and normalised as Node's path.resolve makes it (symbolic links kept).
xdb_cache="$(realpath -m -s -- "$xdb_cache")"
