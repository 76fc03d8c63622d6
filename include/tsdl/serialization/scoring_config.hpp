// ScoringConfig: the preprocessing and decision settings that a deployed model needs at scoring
// time, stored in the model file next to the weights. It does not depend on tsdl::data, so the file
// format does not either; scaler_config.hpp fills it from a fitted tsdl::data::Scaler.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tsdl {

// Everything a deployed binary needs besides the weights, to turn raw telemetry into the model's
// input and its output into a decision.
struct ScoringConfig {
  // Telemetry columns, in the order of the model's feature axis.
  std::vector<std::string> feature_names;

  // "minmax", "standard" or "none". A feature value x is scaled as (x - offset) / scale with the
  // pooled parameters below, one per feature; "none" needs both vectors empty.
  std::string scaler_kind = "none";
  std::vector<double> scaler_offset;
  std::vector<double> scaler_scale;

  // Raw rows are averaged over windows of window_width rows, started every window_step rows, and
  // the model reads seq_len consecutive windows. Units are telemetry rows (hours for hourly data).
  std::int64_t window_width = 10;
  std::int64_t window_step = 5;
  std::int64_t seq_len = 30;

  // A positive label means a failure within this many hours after the last window.
  std::int64_t horizon_hours = 24;

  // Decision threshold: a prediction is positive when p >= threshold.
  double threshold = 0.5;

  // "cnn", "lstm", "hybrid" or free text naming the architecture.
  std::string model_kind;

  // Free-form key-value pairs, such as a training-data identifier.
  std::map<std::string, std::string> metadata;

  bool operator==(const ScoringConfig& other) const {
    return feature_names == other.feature_names && scaler_kind == other.scaler_kind &&
           scaler_offset == other.scaler_offset && scaler_scale == other.scaler_scale &&
           window_width == other.window_width && window_step == other.window_step && seq_len == other.seq_len &&
           horizon_hours == other.horizon_hours && threshold == other.threshold && model_kind == other.model_kind &&
           metadata == other.metadata;
  }
  bool operator!=(const ScoringConfig& other) const { return !(*this == other); }
};

// Returns an empty string when `config` is valid, otherwise a description of the first problem.
inline std::string scoring_config_problem(const ScoringConfig& config) {
  const std::string& kind = config.scaler_kind;
  if (kind != "minmax" && kind != "standard" && kind != "none") {
    return "scaler_kind is '" + kind + "'; expected 'minmax', 'standard' or 'none'";
  }
  if (kind == "none") {
    if (!config.scaler_offset.empty() || !config.scaler_scale.empty()) {
      return "scaler_kind is 'none', but scaler_offset has " + std::to_string(config.scaler_offset.size()) +
             " and scaler_scale " + std::to_string(config.scaler_scale.size()) + " values; expected none";
    }
  } else {
    if (config.scaler_offset.empty() || config.scaler_offset.size() != config.scaler_scale.size()) {
      return "scaler_offset has " + std::to_string(config.scaler_offset.size()) + " values and scaler_scale " +
             std::to_string(config.scaler_scale.size()) + "; expected the same positive count";
    }
    if (!config.feature_names.empty() && config.feature_names.size() != config.scaler_offset.size()) {
      return "feature_names has " + std::to_string(config.feature_names.size()) + " names but the scaler has " +
             std::to_string(config.scaler_offset.size()) + " features";
    }
    for (std::size_t i = 0; i < config.scaler_offset.size(); ++i) {
      if (!std::isfinite(config.scaler_offset[i])) return "scaler_offset[" + std::to_string(i) + "] is not finite";
      const double scale = config.scaler_scale[i];
      if (!(std::isfinite(scale) && scale > 0.0)) {
        return "scaler_scale[" + std::to_string(i) + "] is " + std::to_string(scale) + "; expected a positive finite value";
      }
    }
  }
  if (config.window_width <= 0) return "window_width is " + std::to_string(config.window_width) + "; expected > 0";
  if (config.window_step <= 0) return "window_step is " + std::to_string(config.window_step) + "; expected > 0";
  if (config.seq_len <= 0) return "seq_len is " + std::to_string(config.seq_len) + "; expected > 0";
  if (config.horizon_hours < 0) return "horizon_hours is " + std::to_string(config.horizon_hours) + "; expected >= 0";
  if (!(config.threshold >= 0.0 && config.threshold <= 1.0)) {
    return "threshold is " + std::to_string(config.threshold) + "; expected a value in [0, 1]";
  }
  for (const auto& entry : config.metadata) {
    if (entry.first.empty()) return "metadata has an empty key";
  }
  return "";
}

// Throws std::invalid_argument describing the first invalid field of `config`.
inline void validate_scoring_config(const ScoringConfig& config) {
  const std::string problem = scoring_config_problem(config);
  if (!problem.empty()) throw std::invalid_argument("ScoringConfig: " + problem);
}

}  // namespace tsdl
