// EarlyStopping: stops training when a monitored quantity has stopped improving, in the manner of
// Keras's EarlyStopping callback.
//
// After each epoch the monitored value counts as an improvement when it beats the best value so
// far by more than min_delta. Each epoch without improvement adds 1 to a wait count, and an
// improvement resets it. Training stops after the epoch in which the wait count reaches patience,
// but never after the first epoch.
//
// With restore_best_weights, the weights of the best epoch are copied back when training ends,
// whether this callback stopped it or it ran through all epochs. tf.keras 2.x restores them only
// when it stops training early.
#pragma once

#include <cmath>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/sequential.hpp"

namespace tsdl {

struct EarlyStoppingOptions {
  // "loss", "val_loss", "accuracy" or "val_accuracy".
  std::string monitor = "val_loss";
  // Smallest change of the monitored value that counts as an improvement; must be >= 0.
  double min_delta = 0.0;
  // Epochs without improvement after which training stops; must be >= 0.
  int patience = 0;
  MonitorMode mode = MonitorMode::automatic;
  // When set, an improvement resets the wait count only if it also beats this value.
  std::optional<double> baseline;
  bool restore_best_weights = false;
  // Receives a line when training stops and when the best weights are restored.
  std::ostream* log = nullptr;
};

template <typename T>
class EarlyStopping : public Callback<T> {
 public:
  // Throws std::invalid_argument naming the value when the monitor is unknown, patience is
  // negative or min_delta is negative or NaN.
  explicit EarlyStopping(EarlyStoppingOptions options = {})
      : options_(std::move(options)), monitor_(options_.monitor, options_.mode, "EarlyStopping") {
    if (options_.patience < 0) {
      throw std::invalid_argument("EarlyStopping: patience must be >= 0, got " + std::to_string(options_.patience));
    }
    if (!(options_.min_delta >= 0.0)) {
      throw std::invalid_argument("EarlyStopping: min_delta must be >= 0, got " + std::to_string(options_.min_delta));
    }
  }

  // Epoch (counted from 1) after which training stopped in the last fit() call; 0 when it ran to
  // the end.
  int stopped_epoch() const { return stopped_epoch_; }
  // Epoch (counted from 1) with the best monitored value so far; 0 before the first epoch.
  int best_epoch() const { return best_epoch_; }
  double best() const { return best_; }

  void on_train_begin(const TrainingParams& params) override {
    monitor_.check_available(params);
    wait_ = 0;
    stopped_epoch_ = 0;
    best_epoch_ = 0;
    best_ = monitor_.initial_best();
    best_weights_.clear();
  }

  void on_epoch_end(EpochLog& log) override {
    const double current = monitor_.value(log);
    // Keep the first epoch's weights, so that a run that never improves still has weights to restore.
    if (options_.restore_best_weights && best_weights_.empty()) best_weights_ = get_weights(this->model());

    ++wait_;
    if (monitor_.improves(current, best_, options_.min_delta)) {
      best_ = current;
      best_epoch_ = log.epoch;
      if (options_.restore_best_weights) best_weights_ = get_weights(this->model());
      if (!options_.baseline || monitor_.improves(current, *options_.baseline, options_.min_delta)) wait_ = 0;
      return;
    }

    if (wait_ >= options_.patience && log.epoch > 1) {
      stopped_epoch_ = log.epoch;
      this->request_stop();
      if (options_.log != nullptr) {
        *options_.log << "Epoch " << log.epoch << ": early stopping, " << monitor_.name() << " did not improve for "
                      << wait_ << " epochs\n";
      }
    }
  }

  void on_train_end(const History& /*history*/) override {
    if (!options_.restore_best_weights || best_weights_.empty()) return;
    set_weights(this->model(), best_weights_);
    if (options_.log != nullptr) {
      *options_.log << "Restoring model weights from the end of the best epoch: " << best_epoch_ << "\n";
    }
  }

 private:
  EarlyStoppingOptions options_;
  Monitor monitor_;
  int wait_ = 0;
  int stopped_epoch_ = 0;
  int best_epoch_ = 0;
  double best_ = 0.0;
  std::vector<Tensor<T>> best_weights_;
};

}  // namespace tsdl
