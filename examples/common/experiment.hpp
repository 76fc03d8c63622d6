// The end-to-end failure-prediction experiment shared by the example binaries: telemetry ->
// machine split -> labelled window means -> min-max scaling fitted on the training machines ->
// sequences -> one of the three classifiers -> point-wise and event-level metrics.
#pragma once

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <omp.h>

#include "tsdl/data.hpp"
#include "tsdl/metrics.hpp"
#include "tsdl/models.hpp"

namespace tsdl::examples {

enum class ModelKind { cnn, lstm, hybrid };

inline std::string to_string(ModelKind kind) {
  switch (kind) {
    case ModelKind::cnn: return "cnn";
    case ModelKind::lstm: return "lstm";
    case ModelKind::hybrid: return "hybrid";
  }
  return "unknown";
}

struct ExperimentOptions {
  ModelKind model = ModelKind::cnn;
  // Directory with PdM_telemetry.csv and PdM_failures.csv; without it the synthetic fleet is used.
  std::optional<std::filesystem::path> data_dir;
  std::int64_t seq_len = 30;         // windows per sequence
  std::int64_t window_width = 10;    // telemetry rows averaged per window
  std::int64_t window_step = 5;      // rows between window starts
  std::int64_t horizon_hours = 24;   // rows this close before a failure are labelled 1
  int epochs = 30;
  long batch_size = 64;
  double learning_rate = 1e-3;
  double pos_weight = 1.0;           // loss weight of positive samples (BinaryCrossEntropy)
  int threads = 0;                   // 0 keeps OpenMP's default
  std::uint64_t seed = 0;
  std::string train_machines = "1-11";
  std::string val_machines = "12-14";
  std::string test_machines = "15-20";
  double lead_hours = 48;            // lead window of the event metrics
  int verbose = 1;                   // 0: results only; 1: data summary, model summary, epochs
};

// Sequences of one split as model tensors, with what the event metrics need.
struct SplitData {
  std::string name;
  data::SequenceSet sequences;
  std::vector<data::Failure> failures;
  Tensor<float> x;  // (count, seq_len, features), or (count, seq_len, features, 1) for the hybrid
  Tensor<float> y;  // (count, 1)
};

struct PreparedData {
  std::string source;
  std::vector<std::string> feature_names;
  data::Scaler scaler{data::ScalerKind::kMinMax};
  SplitData train, validation, test;
};

struct SplitResult {
  metrics::SplitEvaluation at_half;      // threshold 0.5
  metrics::SplitEvaluation at_best;      // threshold with the best F1 on validation
  metrics::EventMetrics events;          // at the best threshold
};

struct ExperimentResult {
  History history;
  double best_threshold = 0.5;
  SplitResult train, validation, test;
  double median_epoch_seconds = 0.0;
};

// Synthetic stand-in with the layout of the 20-machine Azure subset: 20 machines, 90 days hourly.
inline data::TelemetrySet default_synthetic_fleet(std::uint64_t seed) {
  data::SyntheticOptions options;
  options.machines = 20;
  options.days = 90;
  options.seed = seed + 1;
  return data::generate_fleet(options);
}

inline data::WindowSet make_windows(const data::TelemetrySet& telemetry, const ExperimentOptions& options) {
  data::WindowOptions windows;
  windows.width = options.window_width;
  windows.step = options.window_step;
  const auto labels = data::label_rows(telemetry, options.horizon_hours * 3600);
  return data::average_windows(telemetry, labels, windows);
}

inline SplitData make_split(const std::string& name, const data::TelemetrySet& telemetry,
                            const data::WindowSet& windows, const ExperimentOptions& options) {
  data::SequenceOptions sequence_options;
  sequence_options.seq_len = options.seq_len;

  SplitData split;
  split.name = name;
  split.sequences = data::build_sequences(windows, sequence_options);
  split.failures = telemetry.failures;

  const data::SequenceSet& s = split.sequences;
  if (options.model == ModelKind::hybrid) {
    split.x.resize({s.count, s.seq_len, s.features, 1});
  } else {
    split.x.resize({s.count, s.seq_len, s.features});
  }
  std::copy(s.values.begin(), s.values.end(), split.x.data());
  split.y.resize({s.count, 1});
  std::copy(s.targets.begin(), s.targets.end(), split.y.data());
  return split;
}

// Loads or generates the telemetry, splits it by machine, averages windows, fits a min-max scaler
// on the window means of the training machines, and builds the sequences of each split. The scaler
// is fitted on window means rather than raw rows because averaging narrows the range: fitted on
// rows, the window means of the real data would use only a small part of [0, 1].
inline PreparedData prepare_data(const ExperimentOptions& options) {
  PreparedData prepared;
  data::TelemetrySet telemetry;
  if (options.data_dir) {
    telemetry = data::load_azure_pdm(*options.data_dir);
    prepared.source = options.data_dir->string();
  } else {
    telemetry = default_synthetic_fleet(options.seed);
    prepared.source = "synthetic fleet (20 machines, 90 days, seed " + std::to_string(options.seed + 1) + ")";
  }
  prepared.feature_names = telemetry.feature_names;

  const data::DataSplit split = data::split_by_machines(telemetry, data::parse_id_list(options.train_machines),
                                                        data::parse_id_list(options.val_machines),
                                                        data::parse_id_list(options.test_machines));
  data::WindowSet train_windows = make_windows(split.train, options);
  data::WindowSet validation_windows = make_windows(split.validation, options);
  data::WindowSet test_windows = make_windows(split.test, options);

  Eigen::Index rows = 0;
  for (const auto& machine : train_windows.machines) rows += machine.means.rows();
  data::RowMatrix train_means(rows, static_cast<Eigen::Index>(prepared.feature_names.size()));
  rows = 0;
  for (const auto& machine : train_windows.machines) {
    train_means.middleRows(rows, machine.means.rows()) = machine.means;
    rows += machine.means.rows();
  }
  prepared.scaler.fit(train_means, prepared.feature_names);
  for (data::WindowSet* windows : {&train_windows, &validation_windows, &test_windows}) {
    for (auto& machine : windows->machines) prepared.scaler.transform(machine.means);
  }

  prepared.train = make_split("train", split.train, train_windows, options);
  prepared.validation = make_split("validation", split.validation, validation_windows, options);
  prepared.test = make_split("test", split.test, test_windows, options);
  return prepared;
}

inline Sequential<float> make_model(const ExperimentOptions& options, std::int64_t features) {
  switch (options.model) {
    case ModelKind::cnn: return models::make_cnn<float>(options.seq_len, features, {}, options.seed);
    case ModelKind::lstm: return models::make_stacked_lstm<float>(options.seq_len, features, {}, options.seed);
    case ModelKind::hybrid: return models::make_hybrid<float>(options.seq_len, features, {}, options.seed);
  }
  throw std::invalid_argument("unknown model kind");
}

inline std::vector<float> predict_scores(Sequential<float>& model, const SplitData& split) {
  // Batches of 128 keep the LSTM's per-step buffers small; larger ones only add memory.
  const Tensor<float> probabilities = model.predict(split.x, 128);
  return std::vector<float>(probabilities.data(), probabilities.data() + probabilities.size());
}

inline SplitResult evaluate(const SplitData& split, const std::vector<float>& scores, double best_threshold,
                            const ExperimentOptions& options) {
  SplitResult result;
  const auto& targets = split.sequences.targets;
  result.at_half = metrics::evaluate_split(split.name, scores, targets, 0.5);
  result.at_best = metrics::evaluate_split(split.name, scores, targets, best_threshold);
  result.events = metrics::event_metrics(scores, split.sequences.machine_ids, split.sequences.end_times, split.failures,
                                         best_threshold, static_cast<std::int64_t>(options.lead_hours * 3600));
  return result;
}

inline void print_data_summary(std::ostream& out, const PreparedData& data) {
  out << "Data: " << data.source << "\n";
  out << "  " << std::left << std::setw(12) << "split" << std::right << std::setw(10) << "sequences" << std::setw(11)
      << "positives" << std::setw(10) << "failures" << "\n";
  for (const SplitData* split : {&data.train, &data.validation, &data.test}) {
    out << "  " << std::left << std::setw(12) << split->name << std::right << std::setw(10) << split->sequences.count
        << std::setw(11) << split->sequences.positives() << std::setw(10) << split->failures.size() << "\n";
  }
}

// Runs the whole experiment on prepared data. The model is returned through `model` so that the
// caller can save it.
inline ExperimentResult run_experiment(const ExperimentOptions& options, const PreparedData& data,
                                       Sequential<float>& model, std::ostream& out) {
  if (options.threads > 0) {
    omp_set_num_threads(options.threads);
    Eigen::setNbThreads(options.threads);
  }
  if (data.train.sequences.count == 0) {
    throw std::invalid_argument("the training machines give no sequences; check --train-machines and --seq-len");
  }
  if (data.validation.sequences.count == 0) {
    throw std::invalid_argument("the validation machines give no sequences; check --val-machines and --seq-len");
  }

  model = make_model(options, static_cast<std::int64_t>(data.feature_names.size()));
  if (options.verbose > 0) model.summary(out);
  model.compile(BinaryCrossEntropy(options.pos_weight), std::make_unique<Adam<float>>(options.learning_rate));

  FitOptions fit;
  fit.epochs = options.epochs;
  fit.batch_size = options.batch_size;
  fit.seed = options.seed;
  fit.verbose = options.verbose;
  fit.log = &out;

  ExperimentResult result;
  result.history = model.fit(data.train.x, data.train.y, fit, &data.validation.x, &data.validation.y);
  std::vector<double> seconds;
  for (const auto& epoch : result.history.epochs) seconds.push_back(epoch.seconds);
  if (!seconds.empty()) {
    std::sort(seconds.begin(), seconds.end());
    result.median_epoch_seconds = seconds[seconds.size() / 2];
  }

  const std::vector<float> validation_scores = predict_scores(model, data.validation);
  if (data.validation.sequences.positives() > 0) {
    result.best_threshold = metrics::best_f1_threshold(validation_scores, data.validation.sequences.targets).threshold;
  }
  result.train = evaluate(data.train, predict_scores(model, data.train), result.best_threshold, options);
  result.validation = evaluate(data.validation, validation_scores, result.best_threshold, options);
  if (data.test.sequences.count > 0) {
    result.test = evaluate(data.test, predict_scores(model, data.test), result.best_threshold, options);
  }
  return result;
}

inline void print_results(std::ostream& out, const PreparedData& data, const ExperimentResult& result) {
  out << "\nResults at threshold 0.5\n";
  metrics::print_report(out, {result.train.at_half, result.test.at_half});
  out << "\nResults at threshold " << result.best_threshold << " (best F1 on validation)\n";
  metrics::print_report(out, {result.train.at_best, result.test.at_best});
  out << "\nEvent-level metrics, test machines\n";
  metrics::print_event_report(out, result.test.events);
  out << "\nEvent-level metrics, training machines\n";
  metrics::print_event_report(out, result.train.events);
  out << "\nMedian epoch time: " << std::fixed << std::setprecision(3) << result.median_epoch_seconds << " s on "
      << data.train.sequences.count << " training sequences\n"
      << std::defaultfloat;
}

}  // namespace tsdl::examples
