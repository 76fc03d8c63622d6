// Writes the model files of the fuzzing seed corpus: small models that together use every layer
// type, both weight types, both optimizers and a non-empty scoring configuration.
//
// Usage: make_seed_models DIRECTORY
// scripts/fuzz.sh does not run it; rerun it by hand after a change to the model-file format and
// commit the new files in tests/fuzz/corpus/model_file/.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "tsdl/serialization.hpp"

namespace {

tsdl::ScoringConfig make_config(const char* kind) {
  tsdl::ScoringConfig config;
  config.feature_names = {"volt", "rotate"};
  config.scaler_kind = "standard";
  config.scaler_offset = {170.0, 446.0};
  config.scaler_scale = {15.5, 52.7};
  config.seq_len = 4;
  config.window_width = 3;
  config.window_step = 1;
  config.threshold = 0.4;
  config.model_kind = kind;
  config.metadata = {{"source", "fuzz seed"}};
  return config;
}

// Hybrid layout: TimeDistributed convolution and pooling, then an LSTM, on (4, 4, 2) inputs.
void write_hybrid(const std::filesystem::path& path) {
  tsdl::Sequential<float> model;
  model.add(tsdl::TimeDistributed<float>(tsdl::Conv1D<float>(2, 2, 1, tsdl::Padding::same, tsdl::ActivationKind::relu)));
  model.add(tsdl::TimeDistributed<float>(tsdl::MaxPool1D<float>(2)));
  model.add(tsdl::TimeDistributed<float>(tsdl::Flatten<float>()));
  model.add(tsdl::LSTM<float>(2, true));
  model.add(tsdl::Dropout<float>(0.25));
  model.add(tsdl::Flatten<float>());
  model.add(tsdl::Dense<float>(1, tsdl::ActivationKind::sigmoid));
  model.build({4, 4, 2}, 1);
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::Adam<float>>());
  tsdl::save_model(model, path, make_config("hybrid"), true);
}

// CNN layout with double weights and SGD state, on (6, 2) inputs.
void write_cnn(const std::filesystem::path& path) {
  tsdl::Sequential<double> model;
  model.add(tsdl::Conv1D<double>(2, 3));
  model.add(tsdl::MaxPool1D<double>(2, 1, tsdl::Padding::same));
  model.add(tsdl::Activation<double>(tsdl::ActivationKind::tanh));
  model.add(tsdl::Flatten<double>());
  model.add(tsdl::Dense<double>(2, tsdl::ActivationKind::relu));
  model.add(tsdl::Dense<double>(1, tsdl::ActivationKind::sigmoid));
  model.build({6, 2}, 2);
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::SGD<double>>(0.01, 0.9));
  tsdl::save_model(model, path, make_config("cnn"), true);
}

// Stacked LSTM without an optimizer, on (3, 2) inputs.
void write_lstm(const std::filesystem::path& path) {
  tsdl::Sequential<float> model;
  model.add(tsdl::LSTM<float>(2, true));
  model.add(tsdl::LSTM<float>(2));
  model.add(tsdl::Dense<float>(1, tsdl::ActivationKind::sigmoid));
  model.build({3, 2}, 3);
  tsdl::save_model(model, path, make_config("lstm"));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
    return 2;
  }
  const std::filesystem::path directory = argv[1];
  write_hybrid(directory / "hybrid_adam_float.tsdl");
  write_cnn(directory / "cnn_sgd_double.tsdl");
  write_lstm(directory / "lstm_no_optimizer.tsdl");
  return 0;
}
