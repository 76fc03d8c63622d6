#!/usr/bin/env bash
# Installs the Debian packages that tsdl's build, tests, fuzzers (clang, libclang-rt-14-dev) and benchmarks
# need, skipping those already present.
# Run as root (or through sudo) on Debian 12 or later.
set -euo pipefail

packages=(cmake g++ make pkg-config libeigen3-dev doctest-dev libbenchmark-dev clang libclang-rt-14-dev)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present (${packages[*]})"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
