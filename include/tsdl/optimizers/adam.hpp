// Adam (Kingma and Ba, 2015, Algorithm 1), with bias correction.
//
// For step t = 1, 2, ... and gradient g:
//   m = beta1 m + (1 - beta1) g
//   v = beta2 v + (1 - beta2) g^2
//   m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)
//   theta -= learning_rate * m_hat / (sqrt(v_hat) + epsilon)
// Defaults are Keras's: learning_rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7.
// NOTE: Keras 2 adds epsilon to sqrt(v) before the bias correction ("epsilon hat"), so its steps
// differ from these when sqrt(v_hat) is comparable to epsilon, which happens only for tiny gradients.
#pragma once

#include "tsdl/optimizers/optimizer.hpp"

namespace tsdl {

template <typename T>
class Adam : public Optimizer<T> {
 public:
  explicit Adam(double learning_rate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
      : Optimizer<T>(learning_rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {
    if (!(beta1 >= 0.0 && beta1 < 1.0)) throw std::invalid_argument("Adam: beta1 must be in [0, 1), got " + std::to_string(beta1));
    if (!(beta2 >= 0.0 && beta2 < 1.0)) throw std::invalid_argument("Adam: beta2 must be in [0, 1), got " + std::to_string(beta2));
    if (!(epsilon > 0.0)) throw std::invalid_argument("Adam: epsilon must be positive, got " + std::to_string(epsilon));
  }

  double beta1() const { return beta1_; }
  double beta2() const { return beta2_; }
  double epsilon() const { return epsilon_; }

  std::vector<Tensor<T>*> state_tensors() override {
    std::vector<Tensor<T>*> tensors;
    for (auto& m : m_) tensors.push_back(&m);
    for (auto& v : v_) tensors.push_back(&v);
    return tensors;
  }

 protected:
  void initialize_state(const std::vector<Parameter<T>>& parameters) override {
    m_.clear();
    v_.clear();
    for (const auto& parameter : parameters) {
      m_.emplace_back(parameter.value->shape());
      v_.emplace_back(parameter.value->shape());
      m_.back().set_zero();
      v_.back().set_zero();
    }
  }

  void update(std::size_t index, const Parameter<T>& parameter, T gradient_scale) override {
    const double t = static_cast<double>(this->iterations_);
    const T m_correction = static_cast<T>(1.0 / (1.0 - std::pow(beta1_, t)));
    const T v_correction = static_cast<T>(1.0 / (1.0 - std::pow(beta2_, t)));
    const T b1 = static_cast<T>(beta1_), b2 = static_cast<T>(beta2_);
    const T lr = static_cast<T>(this->learning_rate_), eps = static_cast<T>(epsilon_);

    auto g = parameter.gradient->array() * gradient_scale;
    auto m = m_[index].array();
    auto v = v_[index].array();
    m = b1 * m + (T(1) - b1) * g;
    v = b2 * v + (T(1) - b2) * g.square();
    parameter.value->array() -= lr * (m * m_correction) / ((v * v_correction).sqrt() + eps);
  }

 private:
  double beta1_, beta2_, epsilon_;
  std::vector<Tensor<T>> m_, v_;
};

}  // namespace tsdl
