#!/usr/bin/env bash
# container-check (npm run test:container): builds docker/Dockerfile with podman on a Debian 12
# machine that has no Docker engine and no Docker Hub, then runs the image the ways CI runners do,
# with real QEMU and Xen, and checks what each run leaves in the workspace. Needs root.
#
# 1. podman, runc and mmdebstrap from Debian (installed when missing).
# 2. The base: a Debian 12 minbase made by mmdebstrap (from this machine's Debian mirror), imported
#    with podman import, plus this machine's Node 20 (docker/local-base.Containerfile): a stand-in
#    for node:20-bookworm-slim. Made once; reused while it holds this machine's Node.
# 3. docker/Dockerfile built on it (--build-arg BASE=...; XEN_VERSIONS="4.17 4.20", as the nightly
#    files want), unchanged otherwise (a label marks the images this script made, to remove its own
#    untagged ones): timed, sized, and its configuration and contents checked.
# 4. Runs: the entry point's dispatch; `boot` as GitLab's Docker executor runs a job (the image's
#    user, its shell-detection command, the script on stdin, a world-writable project folder);
#    `boot`, then `check` in a second container, as `docker run --user UID` with a mounted
#    workspace and no passwd entry; the nightly drift files' own job scripts
#    (test/docker/ci-jobs.ts) as GitHub (entry point tail, `options: --user`, docker exec steps,
#    artifacts handed over) and as GitLab run them. Each must leave its reports in the workspace
#    and nothing in the container's own layer.
#
# Usage: scripts/container-check.sh [--no-cache] [--clean]
#   --no-cache  build every layer again (the timing of a first build)
#   --clean     remove the images this script made when it ends
# Work folder: $CONTAINER_CHECK_WORK (default /var/tmp/xen-dom0-boot-container-check).
#
# This machine's needs (none changes what is built): builds use --isolation chroot and runs use runc
# with nofile/nproc limits within the current hard limits (crun refuses hybrid cgroups, and root
# here lacks CAP_SYS_RESOURCE for podman's default 1048576); a TLS-inspecting proxy's CA, when npm
# or Node is configured with one (npm's cafile, NODE_EXTRA_CA_CERTS), is bind-mounted for the
# build's npm only (podman build -v), never copied into an image.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${CONTAINER_CHECK_WORK:-/var/tmp/xen-dom0-boot-container-check}"
rootfs_image=localhost/xdb-debian:bookworm-minbase
base_image=localhost/xdb-node:20-bookworm-slim
image=localhost/xen-dom0-boot:check
build_stage_image=localhost/xen-dom0-boot:check-build
# On every image this script builds, so that it can remove the ones it left untagged (and no other).
label=org.xen-dom0-boot.container-check=1
no_cache=()
clean=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-cache) no_cache=(--no-cache); shift ;;
    --clean) clean=1; shift ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "container-check: unknown argument '$1' (expected --no-cache or --clean)" >&2; exit 2 ;;
  esac
done

t_start=$SECONDS
step() { printf 'container-check: %s\n' "$*"; }
fail() { printf 'container-check: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'container-check: ok: %s\n' "$*"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1000000 }'; }

[[ "$(id -u)" -eq 0 ]] || fail "needs root (podman build, mmdebstrap)"
[[ "$(node --version)" == v20.* ]] || fail "needs Node 20 on this machine for the local base image (found $(node --version))"

# Containers this script started, removed at exit (by id).
containers=()
cleanup() {
  local id
  for id in "${containers[@]}"; do podman rm -f -t 0 "$id" >/dev/null 2>&1 || true; done
  if [[ $clean -eq 1 ]]; then
    podman rmi -f "$image" "$build_stage_image" "$base_image" "$rootfs_image" >/dev/null 2>&1 || true
    podman image prune -f --filter "label=$label" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# --- 1. tools -------------------------------------------------------------------------------
missing=()
for pkg in podman runc mmdebstrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
step "$(podman --version), $(runc --version | head -n1), $(mmdebstrap --version)"

hard_nofile="$(ulimit -Hn)"; [[ "$hard_nofile" == unlimited ]] && hard_nofile=1048576
run_opts=(--runtime runc --ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit nproc=8192:8192)
build_opts=(--isolation chroot --network host)

# --- 2. the base ----------------------------------------------------------------------------
make_rootfs() {
  local mirror
  mirror="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  step "mmdebstrap --variant=minbase bookworm from $mirror"
  # The merged-usr hook merges /usr as debootstrap does; without it mmdebstrap installs the usrmerge
  # package and perl with it (the same 88 packages as debootstrap's minbase, in a third of the time).
  mmdebstrap --variant=minbase --quiet --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr bookworm "$work/rootfs.tar" "$mirror" \
    > "$work/mmdebstrap.log" 2>&1 ||
    { tail -n 20 "$work/mmdebstrap.log" >&2; fail "mmdebstrap failed (log: $work/mmdebstrap.log)"; }
  podman import --quiet "$work/rootfs.tar" "$rootfs_image" >/dev/null
  rm -f "$work/rootfs.tar"
}
make_base() {
  local context="$work/base-context"
  rm -rf "$context"
  mkdir -p "$context"
  cp "$(readlink -f "$(command -v node)")" "$context/node"
  cp -a "$(npm root -g)/npm" "$context/npm"
  # Node's docker-entrypoint.sh, as in the official image (docker-library/node): node for options and non-commands.
  cat > "$context/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod +x "$context/docker-entrypoint.sh"
  podman build "${build_opts[@]}" -q --label "$label" --build-arg "ROOTFS=$rootfs_image" -f "$root/docker/local-base.Containerfile" \
    -t "$base_image" "$context" >/dev/null
}
mkdir -p "$work"
t0=$SECONDS
podman image exists "$rootfs_image" || make_rootfs
t_rootfs=$((SECONDS - t0))
t0=$SECONDS
node_version="$(node --version)"
# Reused while it holds this machine's Node: a new base would rebuild every layer of the image.
if podman image exists "$base_image" && [[ "$(podman run --rm "${run_opts[@]}" "$base_image" --version)" == "$node_version" ]]; then
  step "base $base_image with Node $node_version exists: reused"
else
  make_base
fi
t_base=$((SECONDS - t0))
step "base $base_image: $(podman run --rm "${run_opts[@]}" "$base_image" --version) on Debian $(podman run --rm "${run_opts[@]}" "$base_image" cat /etc/debian_version)" \
  "($(mb "$(podman image inspect --format '{{.Size}}' "$base_image")"); rootfs ${t_rootfs}s, base ${t_base}s)"

# --- 3. the image ---------------------------------------------------------------------------
ca_opts=()
npm_ca="$(npm config get cafile 2>/dev/null || true)"
[[ "$npm_ca" == null || "$npm_ca" == undefined ]] && npm_ca=""
if [[ -n "$npm_ca" || -n "${NODE_EXTRA_CA_CERTS:-}" ]]; then
  cat /etc/ssl/certs/ca-certificates.crt ${npm_ca:+"$npm_ca"} ${NODE_EXTRA_CA_CERTS:+"$NODE_EXTRA_CA_CERTS"} > "$work/build-ca.crt" 2>/dev/null || true
  echo "cafile=/run/xdb-build-ca.crt" > "$work/build-npmrc"
  ca_opts=(-v "$work/build-ca.crt:/run/xdb-build-ca.crt:ro" -v "$work/build-npmrc:/usr/local/etc/npmrc:ro")
  step "npm in the build trusts this machine's CA bundle (bind-mounted, not in the image)"
fi
: > "$work/build.log"
step "podman build -f docker/Dockerfile --build-arg BASE=$base_image --build-arg XEN_VERSIONS=\"4.17 4.20\" ${no_cache[*]}"
t0=$SECONDS
# The build stage is tagged too (built first; the full build reuses its layers), so that its layers
# stay cached for the next run while the untagged images of earlier runs are removed.
for target in build ""; do
  podman build "${build_opts[@]}" "${no_cache[@]}" "${ca_opts[@]}" --label "$label" -f "$root/docker/Dockerfile" \
    --build-arg "BASE=$base_image" --build-arg "XEN_VERSIONS=4.17 4.20" ${target:+--target "$target"} \
    -t "$([[ -n "$target" ]] && echo "$build_stage_image" || echo "$image")" "$root" >> "$work/build.log" 2>&1 ||
    { tail -n 30 "$work/build.log" >&2; fail "podman build failed (log: $work/build.log)"; }
  no_cache=()
done
t_build=$((SECONDS - t0))
podman image prune -f --filter "label=$label" >/dev/null
size="$(podman image inspect --format '{{.Size}}' "$image")"
base_size="$(podman image inspect --format '{{.Size}}' "$base_image")"
pass "built $image in ${t_build}s: $(mb "$size") ($(mb "$((size - base_size))") on the base)"

config="$(podman image inspect --format '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}|{{.Config.WorkingDir}}' "$image")"
[[ "$config" == '1000:1000|["xen-dom0-boot-entrypoint"]|["--help"]|/workspace' ]] || fail "image config: $config"
podman image inspect --format '{{json .Config.Env}}' "$image" | grep -q '"XEN_DOM0_BOOT_CACHE=/opt/xen-dom0-boot/cache"' ||
  fail "XEN_DOM0_BOOT_CACHE is not set in the image"
pass "config: user 1000:1000, entry point xen-dom0-boot-entrypoint, CMD --help, WORKDIR /workspace, XEN_DOM0_BOOT_CACHE"

# What is in the image, and what is not (one run prints facts, checked here).
facts="$(podman run --rm "${run_opts[@]}" "$image" sh -c '
  pkg=/usr/local/lib/node_modules/xen-dom0-boot
  echo "uid $(id -u) $(id -un)"
  echo "npm-caches $(find / -xdev -type d -name _cacache 2>/dev/null | wc -l)"
  echo "apt-lists $(find /var/lib/apt/lists -mindepth 1 -not -name lock -not -name partial | wc -l)"
  echo "dev-deps $(cd "$pkg/node_modules" && ls -d typescript esbuild eslint tsx prettier @types 2>/dev/null | wc -l)"
  echo "sources $(ls -d "$pkg/src" "$pkg/test" "$pkg/.ci" "$pkg/docker" 2>/dev/null | wc -l)"
  echo "cache-writable $(test -w /opt/xen-dom0-boot/cache && echo yes || echo no)"
  echo "cache $(cd /opt/xen-dom0-boot/cache && ls -d xen/4.17/xen xen/4.20/xen qemu/bin/qemu-system-aarch64 test-image/test-image.bin 2>/dev/null | wc -l)"
  echo "node-user $(getent passwd node | wc -l)"
  echo "package-mb $(du -sm "$pkg" | cut -f1)"')"
expect_fact() { grep -qx "$1" <<<"$facts" || fail "image contents: expected '$1', got: $(tr '\n' ';' <<<"$facts")"; }
expect_fact "uid 1000 dom0"
expect_fact "npm-caches 0"
expect_fact "apt-lists 0"
expect_fact "dev-deps 0"
expect_fact "sources 0"
expect_fact "cache-writable no"
expect_fact "cache 4"
expect_fact "node-user 0"
pass "contents: runs as dom0; no npm cache, no apt lists, no devDependencies, no src/ or tests;" \
  "Xen 4.17 and 4.20, QEMU 10 and the test image in a cache dom0 cannot write; package $(grep -o 'package-mb .*' <<<"$facts" | cut -d' ' -f2) MB"

# --- 4. runs --------------------------------------------------------------------------------
# The entry point: options and the tool's command words go to xen-dom0-boot; commands run as given.
version="$(podman run --rm "${run_opts[@]}" "$image" --version)"
[[ "$version" == "xen-dom0-boot "* ]] || fail "IMAGE --version: $version"
[[ "$(podman run --rm "${run_opts[@]}" "$image" xen-dom0-boot --version)" == "$version" ]] || fail "IMAGE xen-dom0-boot --version"
[[ "$(podman run --rm "${run_opts[@]}" "$image" sh -c 'echo "shell $0"' ok)" == "shell ok" ]] || fail "IMAGE sh -c"
help="$(podman run --rm "${run_opts[@]}" "$image")"
grep -q '^Usage:' <<<"$help" || fail "IMAGE (CMD --help) prints no usage"
# The command words: a "Commands:" section's first words, or "xen-dom0-boot WORD" usage lines.
words="$(awk '/^Commands:/ { c = 1; next } c && /^$/ { c = 0 } c && /^  [a-z]/ { print $1 }
  $1 == "xen-dom0-boot" && $2 ~ /^[a-z]+$/ { print $2 }' <<<"$help" | sort -u)"
[[ -n "$words" ]] || fail "no command words in --help"
# A word that is also a command on the image's PATH would run that command instead of the tool.
mapfile -t word_list <<<"$words"
# shellcheck disable=SC2016
shadowed="$(podman run --rm "${run_opts[@]}" "$image" sh -c 'for w in "$@"; do command -v "$w"; done; true' sh "${word_list[@]}")"
[[ -z "$shadowed" ]] || fail "the entry point would run these commands instead of xen-dom0-boot: $shadowed"
out="$(podman run --rm "${run_opts[@]}" "$image" boot --help 2>&1)" || fail "IMAGE boot --help: $out"
grep -q -- '--dom0-mem' <<<"$out" || fail "IMAGE boot --help did not reach xen-dom0-boot: $out"
pass "entry point: IMAGE --version ($version), IMAGE boot --help, sh -c and xen-dom0-boot ... as given;" \
  "no command on PATH shadows $(tr '\n' ' ' <<<"$words" | sed 's/ $//')"

# GitLab Runner's shell detection (shells/bash.go, BashDetectShellScript with $@ empty): the Docker
# executor starts a job container with `sh -c` and it, and feeds the job script to the shell on stdin.
gitlab_shell="$(printf '%s\n' 'if [ -x /usr/local/bin/bash ]; then' '\texec /usr/local/bin/bash ' 'elif [ -x /usr/bin/bash ]; then' \
  '\texec /usr/bin/bash ' 'elif [ -x /bin/bash ]; then' '\texec /bin/bash ' 'elif [ -x /usr/local/bin/sh ]; then' '\texec /usr/local/bin/sh ' \
  'elif [ -x /usr/bin/sh ]; then' '\texec /usr/bin/sh ' 'elif [ -x /bin/sh ]; then' '\texec /bin/sh ' 'elif [ -x /busybox/sh ]; then' \
  '\texec /busybox/sh ' 'else' '\techo shell not found' '\texit 1' 'fi' '' | sed 's/^\\t/\t/')"
# A run whose container must leave nothing in its own layer: only the mount points may appear (added),
# /etc changed (podman's hosts, resolv.conf and hostname files) and /tmp changed (temporaries made
# and removed; one left behind would be an added /tmp/... entry and fail).
nothing_written() { # container, mount points...
  local id="$1" changes
  shift
  changes="$(podman diff "$id" | grep -v -x -e 'C /etc' -e 'C /tmp' || true)"
  for mount in "$@"; do
    while [[ "$mount" != / ]]; do
      changes="$(grep -v -x -e "A $mount" <<<"$changes" || true)"
      mount="$(dirname "$mount")"
    done
  done
  [[ -z "$changes" ]] || fail "container $id wrote into the image's file system: $(tr '\n' ' ' <<<"$changes")"
}
# GitLab job: `boot` on the embedded default, as the image's user, in a project folder made by the runner (umask 0000).
fresh_ws() { rm -rf "${work:?}/${1:?}"; mkdir -p "$work/$1"; echo "$work/$1"; }
ws="$(fresh_ws ws-gitlab-boot)"
chmod 0777 "$ws"
t0=$SECONDS
id="$(podman create "${run_opts[@]}" -i -v "$ws:/builds/group/project" "$image" sh -c "$gitlab_shell")"
containers+=("$id")
printf 'set -eo pipefail\ncd /builds/group/project\nxen-dom0-boot boot\n' | podman start -a -i "$id" > "$work/gitlab-boot.log" 2>&1 ||
  { cat "$work/gitlab-boot.log" >&2; fail "GitLab-style boot exited $(podman inspect --format '{{.State.ExitCode}}' "$id")"; }
t_gitlab_boot=$((SECONDS - t0))
report="$(find "$ws/.xen-dom0-boot/runs" -path '*/boot-*/report.json' 2>/dev/null | head -n1)"
[[ -n "$report" ]] || fail "GitLab-style boot: no .xen-dom0-boot/runs/boot-*/report.json in the workspace"
node -e 'const r = require(process.argv[1]); if (r.result !== "ok" || r.converged !== true) { console.error(JSON.stringify(r.failure ?? r.result)); process.exit(1); }' "$report" ||
  fail "GitLab-style boot: report.json says it did not converge"
# The run used the image's baked-in cache (XEN_DOM0_BOOT_CACHE): QEMU 10 and Xen 4.17 from /opt/xen-dom0-boot/cache.
node -e 'const v = require(process.argv[1]); const c = "/opt/xen-dom0-boot/cache/";
  if (!(v.qemu.source === "project-cache" && v.qemu.path.startsWith(c) && /version 10\./.test(v.qemu.version) && v.xen.path === c + "xen/4.17/xen")) {
    console.error(JSON.stringify(v)); process.exit(1); }' "$(dirname "$report")/versions.json" ||
  fail "GitLab-style boot: versions.json does not name the image's cache for QEMU 10 and Xen"
[[ -f "$ws/.xen-dom0-boot/dom0-demo/xen-dom0.overlay" ]] || fail "GitLab-style boot: no overlay in the workspace's .xen-dom0-boot/dom0-demo/"
[[ "$(stat -c %u "$report")" == 1000 ]] || fail "GitLab-style boot: report not owned by dom0"
nothing_written "$id" /builds/group/project
pass "GitLab job (Docker executor's shell detection, uid 1000): boot converged in ${t_gitlab_boot}s;" \
  "$(grep -o 'Xen [0-9.]* placed Dom0' "$work/gitlab-boot.log" | head -n1); report, overlay and lock in the project folder, nothing in the image"

# docker run --user UID -v "$PWD:/workspace" IMAGE boot, then check: a uid with no passwd entry (no home).
ws="$(fresh_ws ws-docker-run)"
chown 4242:4242 "$ws"
t0=$SECONDS
for command in "boot --junit boot-junit.xml --bundle boot.tar.gz" "check --junit check-junit.xml"; do
  # podman 4.3 knows --passwd=false (Docker's behaviour: no passwd entry for the uid) in run only, not in create.
  rm -f "$work/cid"
  # shellcheck disable=SC2086
  podman run "${run_opts[@]}" --cidfile "$work/cid" --passwd=false --user 4242:4242 -v "$ws:/workspace" "$image" $command \
    > "$work/docker-run.log" 2>&1 || { cat "$work/docker-run.log" >&2; fail "docker-run-style $command failed"; }
  id="$(cat "$work/cid")"
  containers+=("$id")
  nothing_written "$id" /workspace
done
t_docker_run=$((SECONDS - t0))
for file in boot-junit.xml boot.tar.gz check-junit.xml .xen-dom0-boot/dom0-demo/xen-dom0.overlay.lock.json; do
  [[ -s "$ws/$file" && "$(stat -c %u "$ws/$file")" == 4242 ]] || fail "docker-run-style: $file missing or not owned by uid 4242"
done
[[ "$(find "$ws/.xen-dom0-boot/runs" -maxdepth 1 -name 'check-*' | wc -l)" == 1 ]] || fail "docker-run-style: no check run folder"
pass "docker run --user 4242 (no passwd entry) -v ws:/workspace: boot, then check in a new container reading its state, ${t_docker_run}s; JUnit, bundle, state in the workspace"

# The nightly drift files' own jobs (test/docker/ci-jobs.ts reads them).
node --import tsx "$root/test/docker/ci-jobs.ts" "$work/jobs"
# GitHub: container created with GitHub's entry point and options, each run step by docker exec in the workspace.
gh_user="$(cat "$work/jobs/github/user")"
[[ -n "$gh_user" ]] || fail "the GitHub jobs give their container no --user"
gh_shards="$(cat "$work/jobs/github/shards")"
gh="$(fresh_ws ws-github)"
mkdir -p "$gh/_temp/_github_home" "$gh/_temp/_runner_file_commands" "$gh/shard" "$gh/merge/shards"
chown -R "$gh_user" "$gh"
cp "$work/jobs/github/shard.sh" "$work/jobs/github/merge.sh" "$gh/_temp/"
github_job() { # workspace folder, script, shard index
  local id status=0
  id="$(podman run -d "${run_opts[@]}" --passwd=false --user "$gh_user" --workdir /__w/repo/repo -v "$gh/$1:/__w/repo/repo" \
    -v "$gh/_temp:/__w/_temp" -v "$gh/_temp/_github_home:/github/home" -e HOME=/github/home -e CI=true -e GITHUB_ACTIONS=true \
    --env-file "$work/jobs/github/env" -e "CI_NODE_INDEX=$3" --entrypoint tail "$image" -f /dev/null)"
  containers+=("$id")
  podman exec "$id" bash -e "/__w/_temp/$2" >> "$work/github.log" 2>&1 || status=$?
  nothing_written "$id" /__w/repo/repo /__w/_temp /github/home
  podman rm -f -t 0 "$id" >/dev/null
  return "$status"
}
t0=$SECONDS
: > "$work/github.log"
for k in $(seq 1 "$gh_shards"); do github_job shard shard.sh "$k" || fail "GitHub drift shard $k exited $? (log: $work/github.log)"; done
# actions/download-artifact, pattern drift-shard-*, merge-multiple false: each artifact in shards/<name>/.
for k in $(seq 1 "$gh_shards"); do cp -a "$gh/shard/drift-shard-$k/." "$gh/merge/shards/drift-shard-$k/"; done
github_job merge merge.sh "" || fail "GitHub drift merge exited $? (log: $work/github.log)"
t_github=$((SECONDS - t0))
[[ -s "$gh/merge/drift-junit.xml" && -s "$gh/merge/drift-merged/drift.json" && "$(stat -c %u "$gh/merge/drift-junit.xml")" == "$gh_user" ]] ||
  fail "GitHub drift merge left no drift-junit.xml / drift-merged/drift.json owned by uid $gh_user"
rows="$(node -e 'const d = require(process.argv[1]); const rows = d.rows ?? d.combinations ?? []; console.log(rows.length)' "$gh/merge/drift-merged/drift.json")"
pass "GitHub jobs (entry point tail, --user $gh_user, docker exec): $gh_shards drift shards and the merge of $rows combinations in ${t_github}s"

# GitLab: every job through the image's own entry point and the shell detection; artifacts copied between jobs.
gl_shards="$(cat "$work/jobs/gitlab/shards")"
gl="$(fresh_ws ws-gitlab-drift)"
chmod 0777 "$gl"
gitlab_job() { # script, shard index
  local id
  id="$(podman create "${run_opts[@]}" -i -v "$gl:/builds/group/project" -e CI=true -e GITLAB_CI=true \
    --env-file "$work/jobs/gitlab/env" ${2:+-e "CI_NODE_INDEX=$2" -e "CI_NODE_TOTAL=$gl_shards"} "$image" sh -c "$gitlab_shell")"
  containers+=("$id")
  { echo 'cd /builds/group/project'; cat "$work/jobs/gitlab/$1"; } | podman start -a -i "$id" >> "$work/gitlab-drift.log" 2>&1 || return $?
  nothing_written "$id" /builds/group/project
  podman rm -f -t 0 "$id" >/dev/null
}
t0=$SECONDS
: > "$work/gitlab-drift.log"
for k in $(seq 1 "$gl_shards"); do gitlab_job shard.sh "$k" || fail "GitLab drift shard $k exited $? (log: $work/gitlab-drift.log)"; done
gitlab_job merge.sh "" || fail "GitLab drift merge exited $? (log: $work/gitlab-drift.log)"
t_gitlab=$((SECONDS - t0))
[[ -s "$gl/drift-junit.xml" && -s "$gl/drift-merged/drift.json" ]] || fail "GitLab drift merge left no drift-junit.xml / drift-merged/drift.json"
pass "GitLab jobs (no entry point override): $gl_shards drift shards (parallel) and the merge in ${t_gitlab}s"

step "done in $((SECONDS - t_start))s: image $(mb "$size") built in ${t_build}s; boot ${t_gitlab_boot}s; GitHub drift ${t_github}s; GitLab drift ${t_gitlab}s"
