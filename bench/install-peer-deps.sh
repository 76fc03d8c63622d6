#!/usr/bin/env bash
# Installs the peer used by bench/race_pytorch.py: Debian's PyTorch and OpenBLAS (without OpenBLAS,
# Debian's PyTorch calls the slow reference BLAS). Not needed to build or test tsdl.
set -euo pipefail
packages=(python3 python3-torch python3-numpy libopenblas0-openmp time)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peer-deps: all packages present"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
