// ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` when a monitored quantity
// has stopped improving, in the manner of Keras's ReduceLROnPlateau callback.
//
// After each epoch the monitored value counts as an improvement when it beats the best value so
// far by more than min_delta, which resets the wait count. Otherwise the wait count grows by 1, and
// when it reaches patience the learning rate becomes max(learning_rate * factor, min_lr), unless it
// is already at or below min_lr. After a reduction the wait count restarts at 0 and the next
// `cooldown` epochs neither count as waiting nor reduce the rate.
#pragma once

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>
#include <string>

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/sequential.hpp"

namespace tsdl {

struct ReduceLROnPlateauOptions {
  // "loss", "val_loss", "accuracy" or "val_accuracy".
  std::string monitor = "val_loss";
  // Multiplier of the learning rate at each reduction; must be in (0, 1).
  double factor = 0.1;
  // Epochs without improvement before a reduction; must be >= 0.
  int patience = 10;
  MonitorMode mode = MonitorMode::automatic;
  // Smallest change of the monitored value that counts as an improvement; must be >= 0.
  double min_delta = 1e-4;
  // Epochs after a reduction during which waiting is suspended; must be >= 0.
  int cooldown = 0;
  // Lower bound of the learning rate; must be >= 0.
  double min_lr = 0.0;
  // Receives a line at each reduction.
  std::ostream* log = nullptr;
};

template <typename T>
class ReduceLROnPlateau : public Callback<T> {
 public:
  // Throws std::invalid_argument naming the value when the monitor is unknown, factor is outside
  // (0, 1), or patience, min_delta, cooldown or min_lr is negative.
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {})
      : options_(std::move(options)), monitor_(options_.monitor, options_.mode, "ReduceLROnPlateau") {
    if (!(options_.factor > 0.0 && options_.factor < 1.0)) {
      throw std::invalid_argument("ReduceLROnPlateau: factor must be in (0, 1), got " +
                                  std::to_string(options_.factor));
    }
    check_non_negative("patience", options_.patience);
    check_non_negative("min_delta", options_.min_delta);
    check_non_negative("cooldown", options_.cooldown);
    check_non_negative("min_lr", options_.min_lr);
  }

  void on_train_begin(const TrainingParams& params) override {
    monitor_.check_available(params);
    if (this->model().optimizer() == nullptr) {
      throw std::logic_error("ReduceLROnPlateau: the model has no optimizer; call compile() before fit()");
    }
    wait_ = 0;
    cooldown_counter_ = 0;
    best_ = monitor_.initial_best();
  }

  void on_epoch_end(EpochLog& log) override {
    const double current = monitor_.value(log);
    if (cooldown_counter_ > 0) {
      --cooldown_counter_;
      wait_ = 0;
    }

    if (monitor_.improves(current, best_, options_.min_delta)) {
      best_ = current;
      wait_ = 0;
      return;
    }
    if (cooldown_counter_ > 0) return;

    ++wait_;
    if (wait_ < options_.patience) return;
    Optimizer<T>& optimizer = *this->model().optimizer();
    const double old_rate = optimizer.learning_rate();
    if (old_rate <= options_.min_lr) return;

    const double new_rate = std::max(old_rate * options_.factor, options_.min_lr);
    optimizer.set_learning_rate(new_rate);
    cooldown_counter_ = options_.cooldown;
    wait_ = 0;
    if (options_.log != nullptr) {
      *options_.log << "Epoch " << log.epoch << ": ReduceLROnPlateau reducing learning rate from " << old_rate
                    << " to " << new_rate << "\n";
    }
  }

 private:
  template <typename Number>
  static void check_non_negative(const char* name, Number value) {
    if (!(value >= Number(0))) {
      throw std::invalid_argument(std::string("ReduceLROnPlateau: ") + name + " must be >= 0, got " +
                                  std::to_string(value));
    }
  }

  ReduceLROnPlateauOptions options_;
  Monitor monitor_;
  int wait_ = 0;
  int cooldown_counter_ = 0;
  double best_ = 0.0;
};

}  // namespace tsdl
