#!/bin/sh
# The image's entry point. A first argument that is an option (-V, --help) or not a command on PATH
# (boot, learn, check, drift, help, ...) runs xen-dom0-boot with all the arguments:
#   docker run IMAGE boot        ->  xen-dom0-boot boot
# Anything else runs as given, which is what CI runners start a job container with:
#   GitLab's Docker executor     ->  sh -c 'if [ -x /usr/local/bin/bash ]; then exec ...'
#   docker run IMAGE bash        ->  bash
#   docker run IMAGE xen-dom0-boot drift ...
# (GitHub Actions replaces the entry point with its own, tail -f /dev/null, and runs steps with docker exec.)
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || [ -z "$(command -v -- "$1")" ]; then
  set -- xen-dom0-boot "$@"
fi
exec "$@"
