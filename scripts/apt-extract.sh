# Sourced by fetch-xen.sh and fetch-qemu.sh: downloads one Debian package with apt's own sources
# file, lists and cache under WORK (the system's apt configuration is not touched, REFERENCE §6)
# and extracts it into WORK/x. Usage: apt_extract WORK ARCH PACKAGE LABEL; sets $deb.
apt_extract() {
  local work="$1" arch="$2" pkg="$3" label="$4"
  local apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
    -o Dir::State::status=/dev/null
    -o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o Debug::NoLocking=1
    -o APT::Sandbox::User=root -o Acquire::Retries=3
  )
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "$label: apt-get update ($arch lists: $(awk '{print $(NF-1)}' "$work/sources.list" | paste -sd' '))"
  apt-get "${apt_opts[@]}" -qq update
  rm -f "$work"/*.deb
  (cd "$work" && apt-get "${apt_opts[@]}" -qq download "$pkg")
  deb="$(ls "$work/${pkg}"_*.deb)"
  rm -rf "$work/x"
  dpkg-deb -x "$deb" "$work/x"
}
