// Stochastic gradient descent with optional momentum, as Keras's SGD:
//   velocity = momentum * velocity - learning_rate * g
//   theta   += velocity
// With momentum 0 this is theta -= learning_rate * g.
#pragma once

#include "tsdl/optimizers/optimizer.hpp"

namespace tsdl {

template <typename T>
class SGD : public Optimizer<T> {
 public:
  explicit SGD(double learning_rate = 0.01, double momentum = 0.0) : Optimizer<T>(learning_rate), momentum_(momentum) {
    if (!(momentum >= 0.0 && momentum < 1.0)) {
      throw std::invalid_argument("SGD: momentum must be in [0, 1), got " + std::to_string(momentum));
    }
  }

  double momentum() const { return momentum_; }

  std::vector<Tensor<T>*> state_tensors() override {
    std::vector<Tensor<T>*> tensors;
    for (auto& velocity : velocity_) tensors.push_back(&velocity);
    return tensors;
  }

 protected:
  void initialize_state(const std::vector<Parameter<T>>& parameters) override {
    velocity_.clear();
    for (const auto& parameter : parameters) {
      velocity_.emplace_back(parameter.value->shape());
      velocity_.back().set_zero();
    }
  }

  void update(std::size_t index, const Parameter<T>& parameter, T gradient_scale) override {
    auto velocity = velocity_[index].array();
    velocity = static_cast<T>(momentum_) * velocity -
               static_cast<T>(this->learning_rate_) * gradient_scale * parameter.gradient->array();
    parameter.value->array() += velocity;
  }

 private:
  double momentum_;
  std::vector<Tensor<T>> velocity_;
};

}  // namespace tsdl
