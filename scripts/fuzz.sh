#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang++ and runs each one for a bounded time.
# Exits non-zero when any target crashes, leaks, times out or trips a sanitizer. The input that
# did so is saved as BUILD_DIR/artifacts/TARGET-crash-HASH (or -leak-, -timeout-, -oom-).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# Environment:
#   BUILD_DIR  build directory (default build-fuzz)
#   JOBS       parallel compile jobs (default: all cores)
#   CXX        compiler (default clang++)
#   TARGETS    space-separated subset of: fuzz_csv fuzz_timestamp fuzz_model_file
#
# The seed corpora in tests/fuzz/corpus/TARGET are only read. New inputs that libFuzzer finds
# go to BUILD_DIR/corpus/TARGET and are reused by the next run in the same build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build_dir=${BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}
targets=${TARGETS:-fuzz_csv fuzz_timestamp fuzz_model_file}

if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a positive integer, got '$seconds'" >&2
  exit 2
fi

bash scripts/install-deps.sh
compiler=${CXX:-clang++}
if ! command -v "$compiler" > /dev/null; then
  echo "fuzz.sh: compiler '$compiler' not found; install the Debian packages clang and libclang-rt-14-dev" >&2
  exit 2
fi

start=$(date +%s)
cmake -S tests/fuzz -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_COMPILER=${compiler}"
# shellcheck disable=SC2086
cmake --build "$build_dir" -j "$jobs" --target $targets
echo "fuzz.sh: build took $(($(date +%s) - start)) s"

export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

mkdir -p "$build_dir/artifacts"
failed=()
for target in $targets; do
  mkdir -p "$build_dir/corpus/$target"
  echo "fuzz.sh: running $target for $seconds s"
  # -timeout: seconds before one input counts as a hang; -rss_limit_mb: memory before it counts
  # as out-of-memory. A model file may legitimately make the loader allocate its weights, but
  # never more than a few times the file size.
  if ! "$build_dir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" \
      "$build_dir/corpus/$target" "tests/fuzz/corpus/${target#fuzz_}"; then
    failed+=("$target")
  fi
done

echo "fuzz.sh: total $(($(date +%s) - start)) s"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: failed targets: ${failed[*]}. The inputs that failed are in $build_dir/artifacts/." >&2
  exit 1
fi
echo "fuzz.sh: no findings"
