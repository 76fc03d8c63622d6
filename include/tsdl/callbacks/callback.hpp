// Callbacks: objects that Sequential::fit() calls at the start and end of training, of every epoch
// and after every batch, in the manner of Keras callbacks.
//
//   auto early_stopping = std::make_shared<EarlyStopping<float>>(early_stopping_options);
//   FitOptions options;
//   options.callbacks = {early_stopping, std::make_shared<CSVLogger>("training.csv")};
//   model.fit(x, y, options, &x_val, &y_val);
//
// CallbackBase is the hook interface, for callbacks that only read the logs. Callback<T> adds
// model(), the Sequential<T> being trained, for callbacks that read or write its weights or its
// optimizer. fit() calls the callbacks in the order of FitOptions::callbacks. Each one receives
// the same EpochLog, so a callback sees the changes that earlier ones made to it.
#pragma once

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "tsdl/fit_options.hpp"
#include "tsdl/tensor.hpp"

namespace tsdl {

template <typename T>
class Sequential;

// Facts about the fit() call, passed to on_train_begin().
struct TrainingParams {
  int epochs = 0;
  Index steps_per_epoch = 0;  // batches per epoch, the last partial batch included
  Index training_samples = 0;
  bool has_validation = false;
};

// Running results of the current epoch after one batch.
struct BatchLog {
  int epoch = 0;      // counted from 1, as EpochLog::epoch
  Index batch = 0;    // counted from 1
  Index samples = 0;  // training samples seen so far in this epoch
  double loss = 0.0;  // mean loss over those samples
  double accuracy = 0.0;
};

class CallbackBase {
 public:
  virtual ~CallbackBase() = default;

  virtual void on_train_begin(const TrainingParams& /*params*/) {}
  // Called after the last epoch, also when a callback stopped training early. Not called when
  // fit() throws.
  virtual void on_train_end(const History& /*history*/) {}
  // `epoch` counts from 1.
  virtual void on_epoch_begin(int /*epoch*/) {}
  // Called with the epoch's results before fit() adds them to the History, so changes a callback
  // makes to `log` are recorded there.
  virtual void on_epoch_end(EpochLog& /*log*/) {}
  virtual void on_batch_end(const BatchLog& /*log*/) {}

  // Asks fit() to stop, as Keras's model.stop_training = True. A request made in on_batch_end()
  // ends the epoch after that batch, and on_epoch_end() still runs for it.
  void request_stop() { stop_requested_ = true; }
  bool stop_requested() const { return stop_requested_; }
  // fit() calls this before on_train_begin(), so a callback can serve several fit() calls.
  void clear_stop_request() { stop_requested_ = false; }

  // Scalar type of the model that the callback needs, or nullptr when it does not use the model.
  virtual const std::type_info* model_scalar_type() const { return nullptr; }

 private:
  bool stop_requested_ = false;
};

template <typename T>
class Callback : public CallbackBase {
 public:
  // Returns the model that fit() is training. Throws std::logic_error outside fit().
  Sequential<T>& model() {
    if (model_ == nullptr) {
      throw std::logic_error("Callback::model: no model is attached; fit() attaches it before on_train_begin()");
    }
    return *model_;
  }

  // fit() calls this with the model before on_train_begin().
  void set_model(Sequential<T>* model) { model_ = model; }

  const std::type_info* model_scalar_type() const final { return &typeid(T); }

 private:
  Sequential<T>* model_ = nullptr;
};

// Returns copies of every trainable parameter of `model`, in the order of model.parameters().
template <typename T>
std::vector<Tensor<T>> get_weights(Sequential<T>& model) {
  std::vector<Tensor<T>> weights;
  for (const auto& parameter : model.parameters()) weights.push_back(*parameter.value);
  return weights;
}

// Copies `weights`, as get_weights() returned them, into the parameters of `model`. Throws
// std::invalid_argument when the count or a shape differs.
template <typename T>
void set_weights(Sequential<T>& model, const std::vector<Tensor<T>>& weights) {
  const auto parameters = model.parameters();
  if (parameters.size() != weights.size()) {
    throw std::invalid_argument("set_weights: the model has " + std::to_string(parameters.size()) +
                                " parameters, got " + std::to_string(weights.size()) + " tensors");
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (parameters[i].value->shape() != weights[i].shape()) {
      throw std::invalid_argument("set_weights: parameter " + std::to_string(i) + " ('" + parameters[i].name +
                                  "') has shape " + shape_to_string(parameters[i].value->shape()) + ", got " +
                                  shape_to_string(weights[i].shape()));
    }
    *parameters[i].value = weights[i];
  }
}

// Direction in which a monitored quantity improves. `automatic` picks max for the accuracies and
// min for the losses, as Keras's mode "auto" does.
enum class MonitorMode { automatic, min, max };

// A quantity of EpochLog that a callback watches: "loss", "val_loss", "accuracy" or
// "val_accuracy".
class Monitor {
 public:
  // Throws std::invalid_argument naming `name` and the allowed names when `name` is unknown.
  // `owner` prefixes error messages, such as "EarlyStopping".
  Monitor(std::string name, MonitorMode mode, std::string owner) : name_(std::move(name)), owner_(std::move(owner)) {
    const bool known = name_ == "loss" || name_ == "val_loss" || name_ == "accuracy" || name_ == "val_accuracy";
    if (!known) {
      throw std::invalid_argument(owner_ + ": unknown monitor \"" + name_ +
                                  "\"; expected one of loss, val_loss, accuracy, val_accuracy");
    }
    maximize_ = mode == MonitorMode::max || (mode == MonitorMode::automatic && name_.find("accuracy") != std::string::npos);
  }

  const std::string& name() const { return name_; }
  bool maximize() const { return maximize_; }
  bool needs_validation() const { return name_.compare(0, 4, "val_") == 0; }

  // The value that any first result improves on: +inf when minimizing, -inf when maximizing.
  double initial_best() const {
    return maximize_ ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }

  // Throws std::invalid_argument when the monitored quantity needs validation data that the fit()
  // call does not have, so the mistake shows before the first epoch.
  void check_available(const TrainingParams& params) const {
    if (needs_validation() && !params.has_validation) {
      throw std::invalid_argument(owner_ + ": monitor \"" + name_ + "\" needs validation data; pass x_val and y_val " +
                                  "to fit(), set FitOptions::validation_split, or monitor \"" + name_.substr(4) + "\"");
    }
  }

  // Returns the monitored value of `log`. Throws std::logic_error when the log lacks it.
  double value(const EpochLog& log) const {
    if (name_ == "loss") return log.loss;
    if (name_ == "accuracy") return log.accuracy;
    const std::optional<double>& value = name_ == "val_loss" ? log.val_loss : log.val_accuracy;
    if (!value) {
      throw std::logic_error(owner_ + ": epoch " + std::to_string(log.epoch) + " has no \"" + name_ + "\" value");
    }
    return *value;
  }

  // True when `current` is better than `reference` by more than `min_delta` (min_delta >= 0). A
  // NaN value never improves.
  bool improves(double current, double reference, double min_delta) const {
    return maximize_ ? current - min_delta > reference : current + min_delta < reference;
  }

 private:
  std::string name_;
  std::string owner_;
  bool maximize_ = false;
};

}  // namespace tsdl
