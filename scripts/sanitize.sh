#!/usr/bin/env bash
# Builds the test suite, less the slow real-data tests, with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs CTest.
# Any sanitizer report stops the test binary with a non-zero status, so CTest marks it failed.
#
# Environment:
#   BUILD_DIR        build directory (default build-asan)
#   JOBS             parallel compile jobs and CTest jobs (default: all cores)
#   CXX              compiler (default: CMake's choice, g++ on Debian)
#   CTEST_ARGS       extra CTest arguments, for example "-L slow" or "-LE slow"
#   TSDL_BUILD_SLOW  ON also builds the tests labelled slow and tsdl_study (default OFF)
#   OMP_NUM_THREADS  OpenMP threads per test (default 1, as in scripts/test.sh)
#   TSDL_AZURE_PDM_DIR  directory of the Azure PdM CSVs for the real-data tests
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build-asan}
jobs=${JOBS:-$(nproc)}

sanitize_flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
# -O1 and line-table debug info (-g1) keep stack traces readable and compile faster than
# RelWithDebInfo's -O2 -g, which made this build the longest step of CI on a 2-core machine.
# TSDL_BUILD_SLOW=OFF, the default here, skips the slow real-data tests and tsdl_study.
configure_args=(
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
  "-DTSDL_BUILD_SLOW=${TSDL_BUILD_SLOW:-OFF}"
  "-DCMAKE_CXX_FLAGS=${sanitize_flags}"
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
  "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined"
)
if [ -n "${TSDL_AZURE_PDM_DIR:-}" ]; then
  configure_args+=("-DTSDL_AZURE_PDM_DIR=${TSDL_AZURE_PDM_DIR}")
fi

bash scripts/install-deps.sh

start=$(date +%s)
cmake -S . -B "$build_dir" "${configure_args[@]}"
cmake --build "$build_dir" -j "$jobs"
built=$(date +%s)
echo "sanitize: build took $((built - start)) s"

# Leak checking stays on for every test. The suppressions file lists only allocations that a
# runtime library keeps for the life of the process; see the comments in it.
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

status=0
# CTEST_ARGS is split into words on purpose, so that it can carry several arguments.
# shellcheck disable=SC2086
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" ${CTEST_ARGS:-} || status=$?
echo "sanitize: tests took $(($(date +%s) - built)) s (total $(($(date +%s) - start)) s)"
exit "$status"
