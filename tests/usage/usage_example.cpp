// Trains a small failure classifier on synthetic telemetry, saves it together with its
// preprocessing settings, reloads it and scores the telemetry of a machine it has never seen.
#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include <tsdl/data.hpp>
#include <tsdl/metrics.hpp>
#include <tsdl/models.hpp>
#include <tsdl/serialization.hpp>
#include <tsdl/serialization/scaler_config.hpp>

namespace data = tsdl::data;

// Averages the telemetry rows in windows and labels each window 1 when a failure follows within
// config.horizon_hours.
data::WindowSet make_windows(const data::TelemetrySet& telemetry, const tsdl::ScoringConfig& config) {
  data::WindowOptions options;
  options.width = config.window_width;
  options.step = config.window_step;
  const auto labels = data::label_rows(telemetry, config.horizon_hours * 3600);
  return data::average_windows(telemetry, labels, options);
}

// Scales every window mean as (x - offset) / scale with the per-feature parameters in `config`.
void scale_windows(data::WindowSet& windows, const tsdl::ScoringConfig& config) {
  const auto count = static_cast<Eigen::Index>(config.scaler_offset.size());
  const Eigen::Map<const Eigen::RowVectorXd> offset(config.scaler_offset.data(), count);
  const Eigen::Map<const Eigen::RowVectorXd> scale(config.scaler_scale.data(), count);
  for (data::MachineWindows& machine : windows.machines) {
    machine.means = (machine.means.rowwise() - offset).array().rowwise() / scale.array();
  }
}

// Builds sequences of config.seq_len windows, copied into a (count, seq_len, features) tensor.
data::SequenceSet make_sequences(const data::WindowSet& windows, const tsdl::ScoringConfig& config,
                                 tsdl::Tensor<float>& x) {
  data::SequenceOptions options;
  options.seq_len = config.seq_len;
  data::SequenceSet sequences = data::build_sequences(windows, options);
  x.resize({sequences.count, sequences.seq_len, sequences.features});
  std::copy(sequences.values.begin(), sequences.values.end(), x.data());
  return sequences;
}

int main() {
  // 1. Telemetry: 6 machines x 20 days of hourly volt, rotate, pressure and vibration. The failure
  //    rate is raised above the default so that 20 days contain failures to learn from.
  data::SyntheticOptions fleet_options;
  fleet_options.machines = 6;
  fleet_options.days = 20;
  fleet_options.failures_per_machine_year = 40;
  fleet_options.seed = 7;
  const data::TelemetrySet fleet = data::generate_fleet(fleet_options);
  const data::DataSplit split = data::split_by_machines(fleet, {1, 2, 3, 4}, {5}, {6});

  // 2. The preprocessing settings travel with the model in its file, so scoring repeats exactly
  //    what training did.
  tsdl::ScoringConfig config;
  config.window_width = 10;  // rows (hours) averaged per window
  config.window_step = 5;    // rows between window starts
  config.seq_len = 12;       // windows per model input
  config.horizon_hours = 24;
  config.model_kind = "cnn";

  // 3. Fit a min-max scaler on the window means of the training machines only.
  data::WindowSet train_windows = make_windows(split.train, config);
  data::WindowSet validation_windows = make_windows(split.validation, config);
  data::RowMatrix train_means(0, static_cast<Eigen::Index>(fleet.feature_names.size()));
  for (const data::MachineWindows& machine : train_windows.machines) {
    train_means.conservativeResize(train_means.rows() + machine.means.rows(), Eigen::NoChange);
    train_means.bottomRows(machine.means.rows()) = machine.means;
  }
  data::Scaler scaler(data::ScalerKind::kMinMax);
  scaler.fit(train_means, fleet.feature_names);
  tsdl::set_scaler(config, scaler);
  scale_windows(train_windows, config);
  scale_windows(validation_windows, config);

  tsdl::Tensor<float> x_train, x_validation;
  const data::SequenceSet train = make_sequences(train_windows, config, x_train);
  const data::SequenceSet validation = make_sequences(validation_windows, config, x_validation);
  tsdl::Tensor<float> y_train({train.count, 1});
  std::copy(train.targets.begin(), train.targets.end(), y_train.data());
  tsdl::Tensor<float> y_validation({validation.count, 1});
  std::copy(validation.targets.begin(), validation.targets.end(), y_validation.data());

  // 4. A small 1-D CNN, trained for 20 epochs with Adam on binary cross-entropy. Set
  //    fit.verbose = 1 and fit.log = &std::cout to print one line per epoch.
  tsdl::models::CnnOptions cnn;
  cnn.filters = 16;
  cnn.dense_units = 32;
  tsdl::Sequential<float> model = tsdl::models::make_cnn<float>(config.seq_len, train.features, cnn, /*seed=*/1);
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::Adam<float>>(1e-3));
  tsdl::FitOptions fit;
  fit.epochs = 20;
  fit.batch_size = 32;
  const tsdl::History history = model.fit(x_train, y_train, fit, &x_validation, &y_validation);
  std::cout << "Trained on " << train.count << " sequences: loss " << history.loss.back() << ", validation loss "
            << history.val_loss.back() << "\n";

  // 5. Decision threshold: the best F1 on the validation machine, when it has a positive window.
  const tsdl::Tensor<float> validation_scores = model.predict(x_validation);
  if (validation.positives() > 0) {
    const std::vector<float> scores(validation_scores.data(), validation_scores.data() + validation_scores.size());
    config.threshold = tsdl::metrics::best_f1_threshold(scores, validation.targets).threshold;
  }

  // 6. Save the weights and the scoring settings in one file, then load them as a deployed
  //    program would.
  tsdl::save_model(model, "failure_model.tsdl", config);
  tsdl::LoadedModel<float> loaded = tsdl::load_model<float>("failure_model.tsdl");
  const tsdl::ScoringConfig& deployed = loaded.config;

  // 7. Score new telemetry (machine 6) with the stored settings only.
  data::WindowSet new_windows = make_windows(split.test, deployed);
  scale_windows(new_windows, deployed);
  tsdl::Tensor<float> x_new;
  const data::SequenceSet new_sequences = make_sequences(new_windows, deployed, x_new);
  const tsdl::Tensor<float> probabilities = loaded.model.predict(x_new);

  // The reloaded model must give the same scores as the model that was saved.
  const tsdl::Tensor<float> original = model.predict(x_new);
  if (!std::equal(original.data(), original.data() + original.size(), probabilities.data())) {
    std::cerr << "the reloaded model scores the new telemetry differently from the saved model\n";
    return 1;
  }

  std::vector<float> scores(probabilities.data(), probabilities.data() + probabilities.size());
  const auto alarms = std::count_if(scores.begin(), scores.end(), [&](float p) { return p >= deployed.threshold; });
  std::cout << "Machine 6: " << new_sequences.count << " sequences scored, " << alarms << " alarms at threshold "
            << deployed.threshold << "\n";
  const tsdl::metrics::EventMetrics events =
      tsdl::metrics::event_metrics(scores, new_sequences.machine_ids, new_sequences.end_times, split.test.failures,
                                   deployed.threshold, /*lead_window_seconds=*/48 * 3600);
  tsdl::metrics::print_event_report(std::cout, events);
  return 0;
}
