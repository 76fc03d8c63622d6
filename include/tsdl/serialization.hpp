// Umbrella header for model files: save_model(), load_model(), load_weights_into() and
// ScoringConfig. To fill a ScoringConfig from a tsdl::data::Scaler, also include
// "tsdl/serialization/scaler_config.hpp", which this header leaves out because it needs the data
// headers.
#pragma once

#include "tsdl/serialization/crc32c.hpp"
#include "tsdl/serialization/error.hpp"
#include "tsdl/serialization/model_file.hpp"
#include "tsdl/serialization/scoring_config.hpp"
