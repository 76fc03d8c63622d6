// Hybrid CNN-LSTM failure classifier for rank-4 input (seq_len, features, 1): a small CNN reads the
// feature vector of each time step, and an LSTM reads the sequence of those encodings.
//   TimeDistributed(Conv1D(64, 2, relu))                      (seq_len, features - 1, 64)
//   TimeDistributed(MaxPool1D(2, padding "same"))             (seq_len, ceil((features - 1) / 2), 64)
//   Dropout(0.2)
//   TimeDistributed(Conv1D(128, 2, relu))                     (seq_len, ..., 128)
//   TimeDistributed(Flatten)                                  (seq_len, ...)
//   Dropout(0.2) -> LSTM(100) -> Dropout(0.2) -> Dense(1, sigmoid)
// For input (30, 4, 1): output shapes (30, 3, 64), (30, 2, 64), (30, 1, 128), (30, 128), (100), (1)
// and 192 + 16,512 + 91,600 + 101 = 108,405 parameters. The pooling uses "same" padding so that the
// three positions left after the first convolution become two, not one.
#pragma once

#include <cstdint>

#include "tsdl/tsdl.hpp"

namespace tsdl::models {

struct HybridOptions {
  Index conv1_filters = 64;
  Index conv2_filters = 128;
  Index kernel_size = 2;
  Index pool_size = 2;
  Padding pool_padding = Padding::same;
  Index lstm_units = 100;
  double dropout = 0.2;
  LstmInitializer lstm_initializer = LstmInitializer::keras;
};

template <typename T>
Sequential<T> make_hybrid(Index seq_len, Index features, const HybridOptions& options = {}, std::uint64_t seed = 0) {
  Sequential<T> model;
  model.add(TimeDistributed<T>(
      Conv1D<T>(options.conv1_filters, options.kernel_size, 1, Padding::valid, ActivationKind::relu)));
  model.add(TimeDistributed<T>(MaxPool1D<T>(options.pool_size, options.pool_size, options.pool_padding)));
  model.add(Dropout<T>(options.dropout));
  model.add(TimeDistributed<T>(
      Conv1D<T>(options.conv2_filters, options.kernel_size, 1, Padding::valid, ActivationKind::relu)));
  model.add(TimeDistributed<T>(Flatten<T>()));
  model.add(Dropout<T>(options.dropout));
  model.add(LSTM<T>(options.lstm_units, false, options.lstm_initializer));
  model.add(Dropout<T>(options.dropout));
  model.add(Dense<T>(1, ActivationKind::sigmoid));
  model.build({seq_len, features, 1}, seed);
  return model;
}

}  // namespace tsdl::models
