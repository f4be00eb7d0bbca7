#!/usr/bin/env bash
# Optional Zephyr parts of the nightly image (docker/Dockerfile build arguments):
#   zephyr.sh sdk VERSION         Zephyr SDK (minimal + aarch64-zephyr-elf) into /opt/zephyr-sdk
#   zephyr.sh workspace REVISION  west workspace of Zephyr REVISION into /zephyrproject
set -euo pipefail
what="${1:?sdk or workspace}"; version="${2:?version}"
apt-get update -qq
case "$what" in
  sdk)
    apt-get install -y -qq --no-install-recommends ca-certificates wget xz-utils cmake ninja-build python3 >/dev/null
    archive="zephyr-sdk-${version}_linux-x86_64_minimal.tar.xz"
    wget -q "https://github.com/zephyrproject-rtos/sdk-ng/releases/download/v${version}/${archive}" -O "/tmp/${archive}"
    tar -xJf "/tmp/${archive}" -C /opt && rm "/tmp/${archive}"
    mv "/opt/zephyr-sdk-${version}" /opt/zephyr-sdk
    /opt/zephyr-sdk/setup.sh -t aarch64-zephyr-elf -c
    ;;
  workspace)
    apt-get install -y -qq --no-install-recommends ca-certificates git cmake ninja-build python3 python3-pip python3-venv device-tree-compiler >/dev/null
    python3 -m venv /opt/west && /opt/west/bin/pip install -q west
    ln -sf /opt/west/bin/west /usr/local/bin/west
    west init -m https://github.com/zephyrproject-rtos/zephyr --mr "$version" /zephyrproject
    cd /zephyrproject && west update --narrow -o=--depth=1
    /opt/west/bin/pip install -q -r zephyr/scripts/requirements-base.txt
    ;;
  *) echo "zephyr.sh: expected sdk or workspace, got '$what'" >&2; exit 2 ;;
esac
rm -rf /var/lib/apt/lists/*
