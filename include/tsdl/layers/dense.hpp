// Dense: a fully connected layer on the last axis, y = activation(x W + b).
//
//   input   (batch, ..., input_dim)
//   output  (batch, ..., units)
//   kernel  (input_dim, units)   glorot-uniform
//   bias    (units)              zeros
// Leading axes other than the last are treated as extra rows, as Keras does for rank > 2 input.
#pragma once

#include "tsdl/activation.hpp"
#include "tsdl/initializers.hpp"
#include "tsdl/layer.hpp"
#include "tsdl/parallel_product.hpp"

namespace tsdl {

template <typename T>
class Dense : public Layer<T> {
 public:
  explicit Dense(Index units, ActivationKind activation = ActivationKind::linear)
      : units_(units), activation_(activation) {
    if (units <= 0) throw std::invalid_argument("Dense: units must be positive, got " + std::to_string(units));
  }
  Dense(Index units, const std::string& activation) : Dense(units, parse_activation(activation)) {}

  std::string type_name() const override { return "Dense"; }
  Index units() const { return units_; }
  ActivationKind activation() const { return activation_; }

  std::vector<Parameter<T>> parameters() override {
    return {{"kernel", &kernel_, &dkernel_}, {"bias", &bias_, &dbias_}};
  }

  const Tensor<T>* logits() const override {
    return activation_ == ActivationKind::sigmoid ? &logits_ : nullptr;
  }

 protected:
  Shape build_impl(const Shape& input_shape, Random& rng) override {
    if (input_shape.empty() || input_shape.back() <= 0) {
      throw std::invalid_argument(this->describe() + ": expected input of shape (batch, ..., features), got " +
                                  shape_to_string(input_shape, "batch"));
    }
    input_dim_ = input_shape.back();
    kernel_.resize({input_dim_, units_});
    dkernel_.resize({input_dim_, units_});
    bias_.resize({units_});
    dbias_.resize({units_});
    glorot_uniform(kernel_, input_dim_, units_, rng);
    bias_.set_zero();

    Shape output_shape = input_shape;
    output_shape.back() = units_;
    return output_shape;
  }

  // Forward: Z = X W + b and Y = activation(Z), with X viewed as (rows, input_dim).
  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    input_ = input;
    Shape output_shape = input.shape();
    output_shape.back() = units_;
    output_.resize(output_shape);

    auto y = output_.matrix();
    assign_product(y, input_.matrix(), kernel_.matrix());
    y.rowwise() += bias_.matrix(1, units_).row(0);
    if (activation_ == ActivationKind::sigmoid) logits_ = output_;
    apply_activation<T>(activation_, output_.array());
    return output_;
  }

  // Backward: dZ = dY * activation'(Z); dW += X^T dZ; db += column sums of dZ; dX = dZ W^T.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    dZ_ = dY;
    multiply_by_activation_derivative<T>(activation_, dZ_.array(), output_.array());
    return backward_linear();
  }

  const Tensor<T>& backward_from_logits(const Tensor<T>& dZ) override {
    if (activation_ != ActivationKind::sigmoid) return Layer<T>::backward_from_logits(dZ);
    this->check_batch_shape(dZ, this->output_shape(), "logit gradient");
    dZ_ = dZ;
    return backward_linear();
  }

 private:
  const Tensor<T>& backward_linear() {
    const auto dz = dZ_.matrix();
    add_product(dkernel_.matrix(), input_.matrix().transpose(), dz);
    dbias_.matrix(1, units_).row(0) += dz.colwise().sum();
    dinput_.resize(input_.shape());
    assign_product(dinput_.matrix(), dz, kernel_.matrix().transpose());
    return dinput_;
  }

  Index units_;
  ActivationKind activation_;
  Index input_dim_ = 0;
  Tensor<T> kernel_, dkernel_, bias_, dbias_;
  Tensor<T> input_, output_, logits_, dZ_, dinput_;
};

}  // namespace tsdl
