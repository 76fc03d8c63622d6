// TimeDistributed: applies one inner layer to every time step, with weights shared across steps.
//
//   input   (batch, time, inner input shape...)    for example (batch, time, steps, channels)
//   output  (batch, time, inner output shape...)
// The time axis is folded into the batch axis, so the inner layer sees one batch of batch * time
// samples and its parameter gradients sum over all time steps. Folding needs no reordering, because
// (batch, time, ...) and (batch * time, ...) have the same row-major layout; the layer copies into
// buffers of the folded shape.
#pragma once

#include <memory>

#include "tsdl/layer.hpp"

namespace tsdl {

template <typename T>
class TimeDistributed : public Layer<T> {
 public:
  explicit TimeDistributed(std::unique_ptr<Layer<T>> layer) : layer_(std::move(layer)) {
    if (!layer_) throw std::invalid_argument("TimeDistributed: the inner layer is null");
  }
  // Takes a layer by value, as in TimeDistributed<float>(Conv1D<float>(64, 2)).
  template <typename L, typename = std::enable_if_t<std::is_base_of_v<Layer<T>, std::decay_t<L>>>>
  explicit TimeDistributed(L&& layer) : layer_(std::make_unique<std::decay_t<L>>(std::forward<L>(layer))) {}

  std::string type_name() const override { return "TimeDistributed"; }
  Layer<T>& layer() { return *layer_; }
  const Layer<T>& layer() const { return *layer_; }

  std::vector<Parameter<T>> parameters() override { return layer_->parameters(); }

 protected:
  Shape build_impl(const Shape& input_shape, Random& rng) override {
    if (input_shape.size() < 2) {
      throw std::invalid_argument(this->describe() + ": expected input of shape (batch, time, ...) with at least " +
                                  "one axis after time, got " + shape_to_string(input_shape, "batch"));
    }
    if (layer_->name().empty()) layer_->set_name(this->name() + "/inner");
    const Shape inner_input(input_shape.begin() + 1, input_shape.end());
    const Shape inner_output = layer_->build(inner_input, rng);
    Shape output_shape{input_shape[0]};
    output_shape.insert(output_shape.end(), inner_output.begin(), inner_output.end());
    return output_shape;
  }

  // Forward: X (batch, time, ...) -> inner forward on (batch * time, ...) -> (batch, time, ...).
  const Tensor<T>& forward_impl(const Tensor<T>& input, bool training) override {
    batch_ = input.dim(0);
    folded_input_ = input;
    folded_input_.reshape(fold(input.shape()));
    output_ = layer_->forward(folded_input_, training);
    output_.reshape(unfold(output_.shape()));
    return output_;
  }

  // Backward: the same folding for dY; the inner layer sums its weight gradients over batch * time.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    folded_gradient_ = dY;
    folded_gradient_.reshape(fold(dY.shape()));
    dinput_ = layer_->backward(folded_gradient_);
    dinput_.reshape(unfold(dinput_.shape()));
    return dinput_;
  }

 private:
  static Shape fold(const Shape& shape) {
    Shape folded(shape.begin() + 1, shape.end());
    folded[0] = shape[0] * shape[1];
    return folded;
  }
  Shape unfold(const Shape& folded) const {
    Shape shape{batch_, folded[0] / std::max<Index>(batch_, 1)};
    shape.insert(shape.end(), folded.begin() + 1, folded.end());
    return shape;
  }

  std::unique_ptr<Layer<T>> layer_;
  Index batch_ = 0;
  Tensor<T> folded_input_, output_, folded_gradient_, dinput_;
};

}  // namespace tsdl
