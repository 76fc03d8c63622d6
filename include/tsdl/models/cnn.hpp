// 1-D CNN failure classifier for input (seq_len, features):
//   Conv1D(64, 3, relu) -> Dropout(0.1) -> Conv1D(64, 3, relu) -> Dropout(0.1) -> MaxPool1D(2)
//   -> Flatten -> Dense(128, relu) -> Dropout(0.1) -> Dense(1, sigmoid)
// For input (30, 4) this has 119,937 parameters, as the same model in Keras.
#pragma once

#include <cstdint>

#include "tsdl/tsdl.hpp"

namespace tsdl::models {

struct CnnOptions {
  Index filters = 64;
  Index kernel_size = 3;
  Index pool_size = 2;
  Index dense_units = 128;
  double dropout = 0.1;
};

template <typename T>
Sequential<T> make_cnn(Index seq_len, Index features, const CnnOptions& options = {}, std::uint64_t seed = 0) {
  Sequential<T> model;
  model.add(Conv1D<T>(options.filters, options.kernel_size, 1, Padding::valid, ActivationKind::relu));
  model.add(Dropout<T>(options.dropout));
  model.add(Conv1D<T>(options.filters, options.kernel_size, 1, Padding::valid, ActivationKind::relu));
  model.add(Dropout<T>(options.dropout));
  model.add(MaxPool1D<T>(options.pool_size));
  model.add(Flatten<T>());
  model.add(Dense<T>(options.dense_units, ActivationKind::relu));
  model.add(Dropout<T>(options.dropout));
  model.add(Dense<T>(1, ActivationKind::sigmoid));
  model.build({seq_len, features}, seed);
  return model;
}

}  // namespace tsdl::models
