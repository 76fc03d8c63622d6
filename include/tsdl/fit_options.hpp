// Settings for Sequential::fit() and the per-epoch history it returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace tsdl {

// Defined in tsdl/callbacks/callback.hpp, which sequential.hpp includes.
class CallbackBase;

// Loss and accuracy of one epoch; the validation fields are set when fit() has validation data.
struct EpochLog {
  int epoch = 0;  // counted from 1
  double loss = 0.0;
  double accuracy = 0.0;
  std::optional<double> val_loss;
  std::optional<double> val_accuracy;
  double seconds = 0.0;
};

struct History {
  std::vector<double> loss, accuracy, val_loss, val_accuracy;
  std::vector<EpochLog> epochs;
};

struct FitOptions {
  int epochs = 1;
  long batch_size = 32;
  // Fraction of the samples, taken from the end as Keras does, held out for validation when no
  // validation data is passed to fit(). 0 disables it.
  double validation_split = 0.0;
  bool shuffle = true;
  // Seeds the shuffle order; the dropout masks are seeded when the model is built.
  std::uint64_t seed = 0;
  // Sample weight of class 0 and of class 1, as Keras's class_weight {0: w0, 1: w1}.
  std::optional<std::pair<double, double>> class_weight;
  // Progress output on `log`, as Keras's verbose argument. 0 is silent and 2 writes one line per
  // epoch. 1 draws a progress bar when `log` is std::cout, std::cerr or std::clog on a terminal,
  // and otherwise writes one line per epoch.
  int verbose = 0;
  std::ostream* log = nullptr;
  // Called after every epoch, after the callbacks; returning false stops training after that epoch.
  std::function<bool(const EpochLog&)> on_epoch_end;
  // Callbacks, called in this order at each hook. A Callback<T> must have the model's scalar type
  // T; fit() rejects one of another type with std::invalid_argument.
  std::vector<std::shared_ptr<CallbackBase>> callbacks;
  // When true, a non-finite batch loss is recorded and training goes on instead of throwing.
  bool continue_on_nonfinite_loss = false;
};

}  // namespace tsdl
