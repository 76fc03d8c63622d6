// Definitions of Sequential's training, inference and summary methods.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <typeinfo>

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/callbacks/progress_bar.hpp"
#include "tsdl/sequential.hpp"

namespace tsdl {

template <typename T>
std::string Sequential<T>::snake_case(const std::string& type_name) {
  if (type_name == "MaxPool1D") return "max_pooling1d";
  if (type_name == "LSTM") return "lstm";
  std::string name;
  for (std::size_t i = 0; i < type_name.size(); ++i) {
    const char c = type_name[i];
    const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
    const bool previous_lower = i > 0 && std::islower(static_cast<unsigned char>(type_name[i - 1])) != 0;
    if (upper && previous_lower) name += '_';
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

template <typename T>
void Sequential<T>::check_ready(const char* method) const {
  if (!built_) throw std::logic_error(std::string("Sequential::") + method + ": call build() first");
}

template <typename T>
void Sequential<T>::check_data(const Tensor<T>& x, const Tensor<T>& y, const char* what) const {
  Shape expected = input_shape_;
  Shape actual = x.shape();
  bool matches = x.rank() == static_cast<Index>(expected.size()) + 1;
  for (std::size_t axis = 0; matches && axis < expected.size(); ++axis) matches = actual[axis + 1] == expected[axis];
  if (!matches) {
    throw std::invalid_argument(std::string("Sequential: expected ") + what + " x of shape " +
                                shape_to_string(expected, "samples") + ", got " + shape_to_string(actual));
  }
  const Index samples = samples_in(x);
  const Index outputs = shape_size(output_shape());
  if (y.size() != samples * outputs) {
    throw std::invalid_argument(std::string("Sequential: ") + what + " y has " + std::to_string(y.size()) +
                                " values for " + std::to_string(samples) + " samples; expected " +
                                std::to_string(samples * outputs));
  }
  for (Index i = 0; i < y.size(); ++i) {
    if (!(y[i] == T(0) || y[i] == T(1))) {
      throw std::invalid_argument(std::string("Sequential: ") + what + " y[" + std::to_string(i) + "] = " +
                                  std::to_string(static_cast<double>(y[i])) + " is not a 0/1 target");
    }
  }
  const auto values = x.array();
  if (!values.allFinite()) {
    Index bad = 0;
    while (bad < x.size() && std::isfinite(static_cast<double>(x[bad]))) ++bad;
    const Index per_sample = shape_size(expected);
    throw std::invalid_argument(std::string("Sequential: ") + what + " x contains " +
                                std::to_string(static_cast<double>(x[bad])) + " in sample " +
                                std::to_string(bad / per_sample) + " (flat index " + std::to_string(bad) +
                                "); remove or impute non-finite values before passing it to the model");
  }
}

template <typename T>
void Sequential<T>::gather(const Tensor<T>& source, const std::vector<Index>& order, Index begin, Index count,
                           Tensor<T>& batch) const {
  const Index samples = samples_in(source);
  const Index per_sample = samples == 0 ? 0 : source.size() / samples;
  Shape shape = source.shape();
  if (shape.empty()) shape = {count};
  shape[0] = count;
  batch.resize(shape);
  for (Index i = 0; i < count; ++i) {
    const T* from = source.data() + order[static_cast<std::size_t>(begin + i)] * per_sample;
    std::copy(from, from + per_sample, batch.data() + i * per_sample);
  }
}

template <typename T>
const Tensor<T>& Sequential<T>::last_logits() const {
  const Tensor<T>* logits = layers_.back()->logits();
  if (logits == nullptr) {
    throw std::logic_error("Sequential: binary cross-entropy needs a last layer that ends with a sigmoid, such as "
                           "Dense(1, \"sigmoid\"); the last layer is " + layers_.back()->type_name() + " '" +
                           layers_.back()->name() + "'");
  }
  return *logits;
}

template <typename T>
History Sequential<T>::fit(const Tensor<T>& x_all, const Tensor<T>& y_all, const FitOptions& options,
                           const Tensor<T>* x_val, const Tensor<T>* y_val) {
  check_ready("fit");
  if (!optimizer_) throw std::logic_error("Sequential::fit: call compile() first");
  if (options.epochs < 0) throw std::invalid_argument("Sequential::fit: epochs must be >= 0, got " + std::to_string(options.epochs));
  if (options.batch_size <= 0) {
    throw std::invalid_argument("Sequential::fit: batch_size must be positive, got " + std::to_string(options.batch_size));
  }
  if (!(options.validation_split >= 0.0 && options.validation_split < 1.0)) {
    throw std::invalid_argument("Sequential::fit: validation_split must be in [0, 1), got " +
                                std::to_string(options.validation_split));
  }
  if ((x_val == nullptr) != (y_val == nullptr)) {
    throw std::invalid_argument("Sequential::fit: pass both validation x and y, or neither");
  }
  check_data(x_all, y_all, "training");
  last_logits();

  // Split off the validation tail before shuffling, as Keras does.
  const Index total = samples_in(x_all);
  Index train_count = total;
  Tensor<T> split_x, split_y;
  if (x_val == nullptr && options.validation_split > 0.0) {
    const Index held_out = static_cast<Index>(static_cast<double>(total) * options.validation_split);
    if (held_out == 0 || held_out == total) {
      throw std::invalid_argument("Sequential::fit: validation_split " + std::to_string(options.validation_split) +
                                  " of " + std::to_string(total) + " samples leaves an empty training or validation set");
    }
    train_count = total - held_out;
    std::vector<Index> tail(static_cast<std::size_t>(held_out));
    std::iota(tail.begin(), tail.end(), train_count);
    gather(x_all, tail, 0, held_out, split_x);
    gather(y_all, tail, 0, held_out, split_y);
    x_val = &split_x;
    y_val = &split_y;
  }
  if (x_val != nullptr) check_data(*x_val, *y_val, "validation");
  if (train_count == 0) throw std::invalid_argument("Sequential::fit: no training samples");

  std::unique_ptr<ProgressBar> progress_bar;
  const std::vector<CallbackBase*> callbacks = attach_callbacks(options, progress_bar);
  auto stop_requested = [&callbacks] {
    return std::any_of(callbacks.begin(), callbacks.end(), [](CallbackBase* callback) { return callback->stop_requested(); });
  };
  TrainingParams params;
  params.epochs = options.epochs;
  params.steps_per_epoch = (train_count + options.batch_size - 1) / options.batch_size;
  params.training_samples = train_count;
  params.has_validation = x_val != nullptr;
  for (CallbackBase* callback : callbacks) callback->on_train_begin(params);

  const Index outputs = shape_size(output_shape());
  std::vector<Index> order(static_cast<std::size_t>(train_count));
  std::iota(order.begin(), order.end(), Index{0});
  Random shuffle_rng(derive_seed(options.seed, 0x5348554646ULL));
  auto parameters = this->parameters();
  History history;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    for (CallbackBase* callback : callbacks) callback->on_epoch_begin(epoch);
    if (options.shuffle) {
      for (Index i = train_count - 1; i > 0; --i) {
        const Index j = static_cast<Index>(shuffle_rng.uniform_index(static_cast<std::uint64_t>(i + 1)));
        std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
      }
    }

    double loss_sum = 0.0;
    Index correct = 0;
    Index seen = 0;
    for (Index begin = 0, batch_index = 0; begin < train_count; begin += options.batch_size, ++batch_index) {
      const Index count = std::min<Index>(options.batch_size, train_count - begin);
      gather(x_all, order, begin, count, batch_x_);
      gather(y_all, order, begin, count, batch_y_);
      const T* weights = nullptr;
      if (options.class_weight) {
        batch_weights_.resize({count * outputs});
        for (Index i = 0; i < batch_weights_.size(); ++i) {
          batch_weights_[i] = static_cast<T>(batch_y_[i] > T(0.5) ? options.class_weight->second
                                                                   : options.class_weight->first);
        }
        weights = batch_weights_.data();
      }

      zero_grad();
      const Tensor<T>& probabilities = forward(batch_x_, true);
      const double batch_loss = loss_.forward_backward(last_logits(), batch_y_.data(), weights, dlogits_);
      if (!std::isfinite(batch_loss) && !options.continue_on_nonfinite_loss) {
        throw std::runtime_error("Sequential::fit: loss is " + std::to_string(batch_loss) + " at epoch " +
                                 std::to_string(epoch) + ", batch " + std::to_string(batch_index + 1) +
                                 "; lower the learning rate, set a clipnorm, or check the input scaling");
      }
      backward_from_logits(dlogits_);
      optimizer_->step(parameters);

      loss_sum += batch_loss * static_cast<double>(count);
      for (Index i = 0; i < probabilities.size(); ++i) {
        correct += (probabilities[i] >= T(0.5)) == (batch_y_[i] > T(0.5)) ? 1 : 0;
      }
      seen += count;

      if (!callbacks.empty()) {
        BatchLog batch_log;
        batch_log.epoch = epoch;
        batch_log.batch = batch_index + 1;
        batch_log.samples = seen;
        batch_log.loss = loss_sum / static_cast<double>(seen);
        batch_log.accuracy = static_cast<double>(correct) / static_cast<double>(seen * outputs);
        for (CallbackBase* callback : callbacks) callback->on_batch_end(batch_log);
        if (stop_requested()) break;
      }
    }

    // `seen` is below train_count only when a callback stopped the epoch early.
    EpochLog log;
    log.epoch = epoch;
    log.loss = loss_sum / static_cast<double>(seen);
    log.accuracy = static_cast<double>(correct) / static_cast<double>(seen * outputs);
    if (x_val != nullptr) {
      const Evaluation validation = evaluate(*x_val, *y_val, std::max<Index>(options.batch_size, 256));
      log.val_loss = validation.loss;
      log.val_accuracy = validation.accuracy;
    }
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (CallbackBase* callback : callbacks) callback->on_epoch_end(log);

    history.loss.push_back(log.loss);
    history.accuracy.push_back(log.accuracy);
    if (log.val_loss) history.val_loss.push_back(*log.val_loss);
    if (log.val_accuracy) history.val_accuracy.push_back(*log.val_accuracy);
    history.epochs.push_back(log);

    if (options.on_epoch_end && !options.on_epoch_end(log)) break;
    if (stop_requested()) break;
  }

  for (CallbackBase* callback : callbacks) callback->on_train_end(history);
  return history;
}

template <typename T>
std::vector<CallbackBase*> Sequential<T>::attach_callbacks(const FitOptions& options,
                                                           std::unique_ptr<ProgressBar>& progress_bar) {
  // The progress bar comes first, so that messages from the other callbacks follow the epoch's
  // progress line.
  std::vector<CallbackBase*> callbacks;
  if (options.verbose > 0 && options.log != nullptr) {
    progress_bar = std::make_unique<ProgressBar>(*options.log, std::min(options.verbose, 2));
    callbacks.push_back(progress_bar.get());
  }
  for (std::size_t i = 0; i < options.callbacks.size(); ++i) {
    CallbackBase* callback = options.callbacks[i].get();
    if (callback == nullptr) {
      throw std::invalid_argument("Sequential::fit: FitOptions::callbacks[" + std::to_string(i) + "] is null");
    }
    const std::type_info* scalar_type = callback->model_scalar_type();
    if (scalar_type != nullptr) {
      if (*scalar_type != typeid(T)) {
        throw std::invalid_argument("Sequential::fit: FitOptions::callbacks[" + std::to_string(i) +
                                    "] is a Callback for another scalar type than this model's; create it as Callback<" +
                                    (std::is_same_v<T, float> ? "float" : "double") + ">");
      }
      static_cast<Callback<T>*>(callback)->set_model(this);
    }
    callback->clear_stop_request();
    callbacks.push_back(callback);
  }
  return callbacks;
}

template <typename T>
Tensor<T> Sequential<T>::predict(const Tensor<T>& x, Index batch_size) {
  check_ready("predict");
  if (batch_size <= 0) throw std::invalid_argument("Sequential::predict: batch_size must be positive");
  Tensor<T> dummy_y({samples_in(x) * shape_size(output_shape())});
  dummy_y.set_zero();
  check_data(x, dummy_y, "prediction");

  const Index samples = samples_in(x);
  Shape result_shape = output_shape();
  result_shape.insert(result_shape.begin(), samples);
  Tensor<T> result(result_shape);
  const Index per_output = shape_size(output_shape());
  std::vector<Index> order(static_cast<std::size_t>(samples));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index begin = 0; begin < samples; begin += batch_size) {
    const Index count = std::min<Index>(batch_size, samples - begin);
    gather(x, order, begin, count, batch_x_);
    const Tensor<T>& output = forward(batch_x_, false);
    std::copy(output.data(), output.data() + count * per_output, result.data() + begin * per_output);
  }
  return result;
}

template <typename T>
Evaluation Sequential<T>::evaluate(const Tensor<T>& x, const Tensor<T>& y, Index batch_size) {
  check_ready("evaluate");
  if (batch_size <= 0) throw std::invalid_argument("Sequential::evaluate: batch_size must be positive");
  check_data(x, y, "evaluation");
  const Index samples = samples_in(x);
  if (samples == 0) throw std::invalid_argument("Sequential::evaluate: no samples");
  const Index outputs = shape_size(output_shape());
  std::vector<Index> order(static_cast<std::size_t>(samples));
  std::iota(order.begin(), order.end(), Index{0});

  double loss_sum = 0.0;
  Index correct = 0;
  Tensor<T> batch_y, dlogits;
  for (Index begin = 0; begin < samples; begin += batch_size) {
    const Index count = std::min<Index>(batch_size, samples - begin);
    gather(x, order, begin, count, batch_x_);
    gather(y, order, begin, count, batch_y);
    const Tensor<T>& probabilities = forward(batch_x_, false);
    loss_sum += loss_.forward_backward(last_logits(), batch_y.data(), static_cast<const T*>(nullptr), dlogits) *
                static_cast<double>(count);
    for (Index i = 0; i < probabilities.size(); ++i) {
      correct += (probabilities[i] >= T(0.5)) == (batch_y[i] > T(0.5)) ? 1 : 0;
    }
  }
  return {loss_sum / static_cast<double>(samples), static_cast<double>(correct) / static_cast<double>(samples * outputs)};
}

template <typename T>
void Sequential<T>::summary(std::ostream& out) {
  check_ready("summary");
  auto with_commas = [](Index value) {
    std::string digits = std::to_string(value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
  };
  const std::string rule(65, '_');
  const std::string double_rule(65, '=');
  out << "Model: \"sequential\"\n" << rule << "\n";
  out << std::left << " " << std::setw(28) << "Layer (type)" << std::setw(26) << "Output Shape" << "Param #\n";
  out << double_rule << "\n";
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    Layer<T>& layer = *layers_[i];
    const std::string label = layer.name() + " (" + layer.type_name() + ")";
    out << " " << std::setw(28) << label << std::setw(26) << shape_to_string(layer.output_shape(), "None")
        << with_commas(layer.parameter_count()) << "\n";
    out << (i + 1 < layers_.size() ? "\n" : "");
  }
  out << double_rule << "\n";
  const Index total = parameter_count();
  out << "Total params: " << with_commas(total) << "\n";
  out << "Trainable params: " << with_commas(total) << "\n";
  out << "Non-trainable params: 0\n" << rule << "\n" << std::right;
}

}  // namespace tsdl
