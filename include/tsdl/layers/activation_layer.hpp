// Activation: applies relu, sigmoid, tanh or linear element-wise; the shape is unchanged.
#pragma once

#include "tsdl/activation.hpp"
#include "tsdl/layer.hpp"

namespace tsdl {

template <typename T>
class Activation : public Layer<T> {
 public:
  explicit Activation(ActivationKind kind) : kind_(kind) {}
  explicit Activation(const std::string& name) : kind_(parse_activation(name)) {}

  std::string type_name() const override { return "Activation"; }
  ActivationKind kind() const { return kind_; }

  const Tensor<T>* logits() const override { return kind_ == ActivationKind::sigmoid ? &input_ : nullptr; }

  const Tensor<T>& backward_from_logits(const Tensor<T>& dZ) override {
    if (kind_ != ActivationKind::sigmoid) return Layer<T>::backward_from_logits(dZ);
    this->check_batch_shape(dZ, this->output_shape(), "logit gradient");
    dinput_ = dZ;
    return dinput_;
  }

 protected:
  Shape build_impl(const Shape& input_shape, Random& /*rng*/) override {
    if (input_shape.empty()) {
      throw std::invalid_argument(this->describe() + ": expected input with at least one axis besides batch");
    }
    return input_shape;
  }

  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    if (kind_ == ActivationKind::sigmoid) input_ = input;
    output_ = input;
    apply_activation<T>(kind_, output_.array());
    return output_;
  }

  // Backward: dX = dY * activation'(x), with the derivative taken from the output y.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    dinput_ = dY;
    multiply_by_activation_derivative<T>(kind_, dinput_.array(), output_.array());
    return dinput_;
  }

 private:
  ActivationKind kind_;
  Tensor<T> input_, output_, dinput_;
};

}  // namespace tsdl
