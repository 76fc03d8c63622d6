// Fills a ScoringConfig from a fitted pooled tsdl::data::Scaler. This is the only serialization
// header that includes the data headers.
#pragma once

#include <stdexcept>
#include <string>

#include "tsdl/data/scalers.hpp"
#include "tsdl/serialization/scoring_config.hpp"

namespace tsdl {

// Copies the scaler's kind ("minmax" or "standard"), its pooled offset and scale, and its feature
// names when it has any, into `config`. Throws std::invalid_argument for a per-machine scaler,
// whose parameters a ScoringConfig cannot hold, and std::logic_error for an unfitted one.
inline void set_scaler(ScoringConfig& config, const data::Scaler& scaler) {
  if (scaler.scope() != data::ScalerScope::kPooled) {
    throw std::invalid_argument("set_scaler: the scaler is per-machine, but a ScoringConfig stores one pooled "
                                "offset and scale per feature; fit a pooled scaler for deployment");
  }
  const data::ScalerParameters& parameters = scaler.parameters();
  config.scaler_kind = scaler.kind() == data::ScalerKind::kMinMax ? "minmax" : "standard";
  config.scaler_offset.assign(parameters.offset.data(), parameters.offset.data() + parameters.offset.size());
  config.scaler_scale.assign(parameters.scale.data(), parameters.scale.data() + parameters.scale.size());
  if (!scaler.feature_names().empty()) config.feature_names = scaler.feature_names();
}

}  // namespace tsdl
