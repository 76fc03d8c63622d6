// Stacked LSTM failure classifier for input (seq_len, features):
//   LSTM(64, return_sequences) -> Dropout(0.2) -> ... four LSTM layers in all, the last returning only
//   its final hidden state -> Dropout(0.2) -> Dense(1, sigmoid)
// For input (30, 4) this has 116,801 parameters, as the same model in Keras.
#pragma once

#include <cstdint>
#include <vector>

#include "tsdl/tsdl.hpp"

namespace tsdl::models {

struct StackedLstmOptions {
  std::vector<Index> units{64, 64, 64, 64};
  double dropout = 0.2;
  LstmInitializer initializer = LstmInitializer::keras;
};

template <typename T>
Sequential<T> make_stacked_lstm(Index seq_len, Index features, const StackedLstmOptions& options = {},
                                std::uint64_t seed = 0) {
  if (options.units.empty()) throw std::invalid_argument("make_stacked_lstm: units must list at least one layer");
  Sequential<T> model;
  for (std::size_t i = 0; i < options.units.size(); ++i) {
    const bool last = i + 1 == options.units.size();
    model.add(LSTM<T>(options.units[i], /*return_sequences=*/!last, options.initializer));
    model.add(Dropout<T>(options.dropout));
  }
  model.add(Dense<T>(1, ActivationKind::sigmoid));
  model.build({seq_len, features}, seed);
  return model;
}

}  // namespace tsdl::models
