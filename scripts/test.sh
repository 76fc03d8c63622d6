#!/usr/bin/env bash
# Installs the dependencies, builds the library's tests and examples, and runs them with CTest.
# BUILD_DIR (default build) and JOBS (default: all cores) can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

bash scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
