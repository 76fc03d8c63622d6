// Sequential: a linear stack of layers trained with binary cross-entropy, in the manner of Keras.
//
//   Sequential<float> model;
//   model.add(Conv1D<float>(64, 3, 1, "valid", "relu"));
//   ...
//   model.add(Dense<float>(1, "sigmoid"));
//   model.build({30, 4}, /*seed=*/0);      // sample shape (time, features)
//   model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>(1e-3));
//   History history = model.fit(x, y, options);
//   Tensor<float> p = model.predict(x_test);
//
// x is (samples, sample shape...), y has one 0/1 target per output value, in (samples) or
// (samples, 1). predict() returns probabilities; a prediction is positive when p >= threshold, and
// the accuracy reported during training uses threshold 0.5.
#pragma once

#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/fit_options.hpp"
#include "tsdl/layer.hpp"
#include "tsdl/loss.hpp"
#include "tsdl/optimizers/optimizer.hpp"

namespace tsdl {

class ProgressBar;

struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
};

template <typename T>
class Sequential {
 public:
  Sequential() = default;
  Sequential(const Sequential&) = delete;
  Sequential& operator=(const Sequential&) = delete;
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  // Appends a layer; layers cannot be added after build().
  Layer<T>& add(std::unique_ptr<Layer<T>> layer) {
    if (!layer) throw std::invalid_argument("Sequential::add: layer is null");
    if (built_) throw std::logic_error("Sequential::add: cannot add " + layer->type_name() + " after build()");
    layers_.push_back(std::move(layer));
    return *layers_.back();
  }
  template <typename L, typename = std::enable_if_t<std::is_base_of_v<Layer<T>, std::decay_t<L>>>>
  std::decay_t<L>& add(L&& layer) {
    auto owned = std::make_unique<std::decay_t<L>>(std::forward<L>(layer));
    auto& reference = *owned;
    add(std::unique_ptr<Layer<T>>(std::move(owned)));
    return reference;
  }

  // Names the layers Keras-style (conv1d, conv1d_1, ...), then builds each for the output shape of
  // the one before. Layer i initialises its weights from a stream seeded by derive_seed(seed, i).
  void build(const Shape& input_shape, std::uint64_t seed = 0) {
    if (layers_.empty()) throw std::logic_error("Sequential::build: the model has no layers");
    for (Index dim : input_shape) {
      if (dim <= 0) {
        throw std::invalid_argument("Sequential::build: input shape " + shape_to_string(input_shape, "batch") +
                                    " has a non-positive dimension");
      }
    }
    std::map<std::string, int> counts;
    Shape shape = input_shape;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      Layer<T>& layer = *layers_[i];
      if (layer.name().empty()) {
        const std::string base = snake_case(layer.type_name());
        const int count = counts[base]++;
        layer.set_name(count == 0 ? base : base + "_" + std::to_string(count));
      }
      Random rng(derive_seed(seed, i));
      shape = layer.build(shape, rng);
    }
    input_shape_ = input_shape;
    built_ = true;
  }

  bool built() const { return built_; }
  const Shape& input_shape() const { return input_shape_; }
  Shape output_shape() const { return layers_.empty() ? Shape{} : layers_.back()->output_shape(); }

  // Sets the loss and optimizer. The last layer must end with a sigmoid, whose logit the loss uses.
  void compile(BinaryCrossEntropy loss, std::unique_ptr<Optimizer<T>> optimizer) {
    if (!optimizer) throw std::invalid_argument("Sequential::compile: optimizer is null");
    loss_ = loss;
    optimizer_ = std::move(optimizer);
  }

  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t i) { return *layers_.at(i); }
  const Layer<T>& layer(std::size_t i) const { return *layers_.at(i); }
  Optimizer<T>* optimizer() { return optimizer_.get(); }

  // Every trainable parameter, layer by layer, in a fixed order.
  std::vector<Parameter<T>> parameters() {
    std::vector<Parameter<T>> all;
    for (auto& layer : layers_) {
      for (auto& parameter : layer->parameters()) all.push_back(parameter);
    }
    return all;
  }

  Index parameter_count() {
    Index count = 0;
    for (auto& layer : layers_) count += layer->parameter_count();
    return count;
  }

  void zero_grad() {
    for (auto& layer : layers_) layer->zero_grad();
  }

  // Runs every layer on a batch and returns the last layer's output.
  const Tensor<T>& forward(const Tensor<T>& input, bool training) {
    check_ready("forward");
    const Tensor<T>* current = &input;
    for (auto& layer : layers_) current = &layer->forward(*current, training);
    return *current;
  }

  // Backpropagates dY, the gradient with respect to the model's output, through every layer; returns dX.
  const Tensor<T>& backward(const Tensor<T>& dY) {
    check_ready("backward");
    const Tensor<T>* gradient = &dY;
    for (std::size_t i = layers_.size(); i-- > 0;) gradient = &layers_[i]->backward(*gradient);
    return *gradient;
  }

  // Backpropagates the gradient of the loss with respect to the last layer's logits.
  void backward_from_logits(const Tensor<T>& dlogits) {
    const Tensor<T>* gradient = &layers_.back()->backward_from_logits(dlogits);
    for (std::size_t i = layers_.size() - 1; i-- > 0;) gradient = &layers_[i]->backward(*gradient);
  }

  // Trains on (x, y), validating on x_val, y_val when given, otherwise on the validation_split tail.
  History fit(const Tensor<T>& x, const Tensor<T>& y, const FitOptions& options = {},
              const Tensor<T>* x_val = nullptr, const Tensor<T>* y_val = nullptr);

  // Returns the model's output for x in inference mode, computed batch_size samples at a time.
  Tensor<T> predict(const Tensor<T>& x, Index batch_size = 256);

  // Returns the mean loss and the accuracy at threshold 0.5 in inference mode.
  Evaluation evaluate(const Tensor<T>& x, const Tensor<T>& y, Index batch_size = 256);

  // Writes a Keras-style table: layer name and type, output shape, parameter count, and the totals.
  void summary(std::ostream& out);

 private:
  static std::string snake_case(const std::string& type_name);
  void check_ready(const char* method) const;
  void check_data(const Tensor<T>& x, const Tensor<T>& y, const char* what) const;
  Index samples_in(const Tensor<T>& x) const { return x.rank() == 0 ? 0 : x.dim(0); }
  void gather(const Tensor<T>& source, const std::vector<Index>& order, Index begin, Index count,
              Tensor<T>& batch) const;
  const Tensor<T>& last_logits() const;
  // Returns the callbacks of one fit() call in calling order, with each Callback<T> attached to
  // this model, and creates the progress bar that FitOptions::verbose requests.
  std::vector<CallbackBase*> attach_callbacks(const FitOptions& options, std::unique_ptr<ProgressBar>& progress_bar);

  std::vector<std::unique_ptr<Layer<T>>> layers_;
  Shape input_shape_;
  bool built_ = false;
  BinaryCrossEntropy loss_;
  std::unique_ptr<Optimizer<T>> optimizer_;
  Tensor<T> batch_x_, batch_y_, batch_weights_, dlogits_;
};

}  // namespace tsdl

#include "tsdl/sequential_impl.hpp"
