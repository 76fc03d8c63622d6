// Flatten: joins every axis after batch into one, (batch, a, b, ...) -> (batch, a * b * ...).
// The data keeps its row-major order, so this is a copy with a new shape and no arithmetic.
#pragma once

#include "tsdl/layer.hpp"

namespace tsdl {

template <typename T>
class Flatten : public Layer<T> {
 public:
  std::string type_name() const override { return "Flatten"; }

 protected:
  Shape build_impl(const Shape& input_shape, Random& /*rng*/) override {
    if (input_shape.empty()) {
      throw std::invalid_argument(this->describe() + ": expected input with at least one axis besides batch");
    }
    return {shape_size(input_shape)};
  }

  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    output_ = input;
    output_.reshape({input.dim(0), input.size() / std::max<Index>(input.dim(0), 1)});
    return output_;
  }

  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    dinput_ = dY;
    Shape input_shape = this->input_shape();
    input_shape.insert(input_shape.begin(), dY.dim(0));
    dinput_.reshape(input_shape);
    return dinput_;
  }

 private:
  Tensor<T> output_, dinput_;
};

}  // namespace tsdl
