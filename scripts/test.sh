#!/usr/bin/env bash
# Installs the dependencies, builds the tests and examples, and runs them with CTest.
# BUILD_DIR (default build) and JOBS (default: all cores) can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

bash scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTSDL_NATIVE=ON
cmake --build "$build_dir" -j "$jobs"

# CTest runs `jobs` tests at once, so each test gets one OpenMP thread unless the caller says
# otherwise; more threads than cores make OpenMP's waiting threads spin against each other.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
