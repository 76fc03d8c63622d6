// Element-wise activations: linear, relu, sigmoid and tanh.
//
// Each derivative is written in terms of the activation's output y, so a layer that applies an
// activation needs to keep only its output for the backward pass:
//   relu:    y = max(0, z)            dy/dz = 1 if y > 0 else 0
//   sigmoid: y = 1 / (1 + exp(-z))    dy/dz = y (1 - y)
//   tanh:    y = tanh(z)              dy/dz = 1 - y^2
//   linear:  y = z                    dy/dz = 1
#pragma once

#include <stdexcept>
#include <string>

#include "tsdl/tensor.hpp"

namespace tsdl {

enum class ActivationKind { linear, relu, sigmoid, tanh };

inline std::string to_string(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::linear: return "linear";
    case ActivationKind::relu: return "relu";
    case ActivationKind::sigmoid: return "sigmoid";
    case ActivationKind::tanh: return "tanh";
  }
  return "unknown";
}

// Parses a Keras activation name; an unknown name throws instead of falling back to linear.
inline ActivationKind parse_activation(const std::string& name) {
  if (name == "linear" || name.empty()) return ActivationKind::linear;
  if (name == "relu") return ActivationKind::relu;
  if (name == "sigmoid") return ActivationKind::sigmoid;
  if (name == "tanh") return ActivationKind::tanh;
  throw std::invalid_argument("unknown activation '" + name + "': expected one of linear, relu, sigmoid, tanh");
}

// Logistic function for arrays, computed as (1 + tanh(z / 2)) / 2 so that no exp can overflow.
template <typename Derived>
auto stable_sigmoid(const Eigen::ArrayBase<Derived>& z) {
  using T = typename Derived::Scalar;
  return T(0.5) * ((T(0.5) * z).tanh() + T(1));
}

// Applies the activation in place.
template <typename T, typename ArrayLike>
void apply_activation(ActivationKind kind, ArrayLike&& values) {
  switch (kind) {
    case ActivationKind::linear: break;
    case ActivationKind::relu: values = values.max(T(0)); break;
    case ActivationKind::sigmoid: values = stable_sigmoid(values); break;
    case ActivationKind::tanh: values = values.tanh(); break;
  }
}

// Multiplies the upstream gradient dY in place by dy/dz, given the activation's output y.
template <typename T, typename GradientLike, typename OutputLike>
void multiply_by_activation_derivative(ActivationKind kind, GradientLike&& dY, const OutputLike& y) {
  switch (kind) {
    case ActivationKind::linear: break;
    case ActivationKind::relu: dY = (y > T(0)).select(dY, T(0)); break;
    case ActivationKind::sigmoid: dY *= y * (T(1) - y); break;
    case ActivationKind::tanh: dY *= T(1) - y.square(); break;
  }
}

}  // namespace tsdl
