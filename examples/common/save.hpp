// Saving a trained example model together with the preprocessing it needs at scoring time.
#pragma once

#include <filesystem>
#include <stdexcept>

#include "common/experiment.hpp"

namespace tsdl::examples {

inline void save_trained_model(Sequential<float>& /*model*/, const std::filesystem::path& path,
                               const ExperimentOptions& /*options*/, const PreparedData& /*data*/,
                               const ExperimentResult& /*result*/) {
  throw std::runtime_error("cannot save to " + path.string() + ": model files are not supported in this build");
}

}  // namespace tsdl::examples
