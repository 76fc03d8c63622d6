#!/usr/bin/env bash
# Builds the benchmarks with -march=native and runs every measurement recorded in
# docs/benchmarks.md: layer kernels, data loading, the PyTorch race and peak memory while training.
# Usage: bash bench/run_all.sh [DATA_DIR]   (default ../shared/data/azure-pdm). Output: bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${1:-../shared/data/azure-pdm}
build_dir=build-bench
out_dir=bench-results
mkdir -p "$out_dir"

bash scripts/install-deps.sh
bash bench/install-peer-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTSDL_NATIVE=ON -DTSDL_BUILD_BENCHMARKS=ON \
  -DTSDL_BUILD_TESTS=OFF > /dev/null
cmake --build "$build_dir" -j "$(nproc)"

{
  date -u
  lscpu | grep -E 'Model name|^CPU\(s\)|^CPU family|^Model:'
  echo "vector extensions: $(grep -o -w -E 'avx|avx2|fma|avx512[a-z]*' /proc/cpuinfo | sort -u | tr '\n' ' ')"
} > "$out_dir/machine.txt"

"$build_dir/bench/bench_layers" --benchmark_min_time=0.2 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$out_dir/layers.json" \
  --benchmark_out_format=json | tee "$out_dir/layers.txt"
OMP_NUM_THREADS=1 "$build_dir/bench/bench_data" --benchmark_min_time=1 | tee "$out_dir/data.txt"

/usr/bin/python3 bench/race_pytorch.py --tsdl "$build_dir/bench/race_tsdl" --data-dir "$data_dir" \
  --epochs 5 --threads 1 2 | tee "$out_dir/race.txt"

for model in cnn lstm hybrid; do
  /usr/bin/time -v "$build_dir/examples/tsdl_train_$model" --data-dir "$data_dir" --epochs 3 --quiet \
    --threads 2 2> "$out_dir/memory-$model.txt" > /dev/null
  grep -E "Maximum resident" "$out_dir/memory-$model.txt" | sed "s/^/$model: /"
done | tee "$out_dir/memory.txt"
