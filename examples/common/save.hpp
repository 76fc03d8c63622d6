// Saving a trained example model together with the preprocessing it needs at scoring time.
#pragma once

#include <filesystem>

#include "common/experiment.hpp"
#include "tsdl/serialization.hpp"
#include "tsdl/serialization/scaler_config.hpp"

namespace tsdl::examples {

// Writes one model file with the weights, the fitted scaler, the window and sequence settings and
// the decision threshold chosen on the validation machines.
inline void save_trained_model(Sequential<float>& model, const std::filesystem::path& path,
                               const ExperimentOptions& options, const PreparedData& data,
                               const ExperimentResult& result) {
  ScoringConfig config;
  set_scaler(config, data.scaler);
  config.window_width = options.window_width;
  config.window_step = options.window_step;
  config.seq_len = options.seq_len;
  config.horizon_hours = options.horizon_hours;
  config.threshold = result.best_threshold;
  config.model_kind = to_string(options.model);
  config.metadata["training_data"] = data.source;
  config.metadata["train_machines"] = options.train_machines;
  save_model(model, path, config);
}

}  // namespace tsdl::examples
