// Benchmarks of the data pipeline on a full-size synthetic fleet: 100 machines x 8761 hourly rows
// (876,100 rows, the size of the full Azure predictive-maintenance telemetry), written as CSV to
// the temp directory once at start-up.
//
//   BM_LoadTelemetryCsv   load_telemetry on the CSV files (parse, group, sort, report)
//   BM_BuildSequences     labels, windows (width 10, step 5) and sequences (seq_len 30, stride 1)
//   BM_LoadAndBuild       both, the end-to-end time from files to a SequenceSet
//   BM_GenerateFleet      the synthetic generator alone, for reference
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <benchmark/benchmark.h>

#include "tsdl/data.hpp"

namespace {

namespace data = tsdl::data;

data::SyntheticOptions full_size_options() {
  data::SyntheticOptions options;
  options.machines = 100;
  options.hours = 8761;
  options.seed = 2015;
  return options;
}

// Paths of the full-size CSV files, written on first use and removed at exit.
struct FullSizeFiles {
  std::filesystem::path directory;
  std::filesystem::path telemetry;
  std::filesystem::path failures;

  FullSizeFiles() {
    directory = std::filesystem::temp_directory_path() / ("tsdl-bench-data-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    telemetry = directory / "telemetry.csv";
    failures = directory / "failures.csv";
    data::write_telemetry_csv(data::generate_fleet(full_size_options()), telemetry, failures);
  }
  ~FullSizeFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
};

const FullSizeFiles& files() {
  static const FullSizeFiles instance;
  return instance;
}

data::PipelineOptions pipeline_options() {
  data::PipelineOptions options;
  options.windows.width = 10;
  options.windows.step = 5;
  options.sequences.seq_len = 30;
  return options;
}

void BM_LoadTelemetryCsv(benchmark::State& state) {
  const FullSizeFiles& paths = files();
  for (auto _ : state) {
    data::TelemetrySet set = data::load_telemetry(paths.telemetry, paths.failures);
    benchmark::DoNotOptimize(set.machines.data());
  }
  state.counters["rows"] = 876100;
  state.SetItemsProcessed(state.iterations() * 876100);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(paths.telemetry)));
}

void BM_BuildSequences(benchmark::State& state) {
  const data::TelemetrySet set = data::load_telemetry(files().telemetry, files().failures);
  std::int64_t count = 0;
  for (auto _ : state) {
    data::SequenceSet sequences = data::build_sequences(set, pipeline_options());
    count = sequences.count;
    benchmark::DoNotOptimize(sequences.values.data());
  }
  state.counters["sequences"] = static_cast<double>(count);
}

void BM_LoadAndBuild(benchmark::State& state) {
  const FullSizeFiles& paths = files();
  for (auto _ : state) {
    const data::TelemetrySet set = data::load_telemetry(paths.telemetry, paths.failures);
    data::SequenceSet sequences = data::build_sequences(set, pipeline_options());
    benchmark::DoNotOptimize(sequences.values.data());
  }
}

void BM_GenerateFleet(benchmark::State& state) {
  for (auto _ : state) {
    data::TelemetrySet set = data::generate_fleet(full_size_options());
    benchmark::DoNotOptimize(set.machines.data());
  }
}

}  // namespace

BENCHMARK(BM_LoadTelemetryCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildSequences)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadAndBuild)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateFleet)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
