// One finite-difference gradient check for every layer and model in the tests.
//
// The scalar checked is L = sum(Y * R) for a fixed random R of Y's shape, so dL/dY = R. backward(R)
// gives the analytic dL/dX and dL/dW; each is compared with the central difference
// (L(w + h) - L(w - h)) / (2 h) in double precision, using the relative error
// |analytic - numeric| / max(|analytic| + |numeric|, floor).
#pragma once

#include <cmath>
#include <functional>
#include <string>

#include <doctest/doctest.h>

#include "tsdl/layer.hpp"
#include "tsdl/random.hpp"
#include "tsdl/tensor.hpp"

namespace tsdl_test {

struct GradientCheckOptions {
  double step = 1e-6;
  double tolerance = 1e-5;
  double floor = 1e-4;
  bool training = false;  // forward() mode; layers with dropout need their masks frozen first
};

inline double relative_error(double analytic, double numeric, double floor) {
  return std::abs(analytic - numeric) / std::max(std::abs(analytic) + std::abs(numeric), floor);
}

inline void fill_uniform(tsdl::Tensor<double>& tensor, tsdl::Random& rng, double low = -1.0, double high = 1.0) {
  for (tsdl::Index i = 0; i < tensor.size(); ++i) tensor[i] = rng.uniform(low, high);
}

// Checks dL/dX and dL/dW of anything with forward(x, training), backward(dY) and parameters(); a
// layer and a Sequential model both fit. Every element of the input and of each parameter is probed.
template <typename Model>
void check_gradients(Model& model, const tsdl::Tensor<double>& input, const GradientCheckOptions& options = {}) {
  tsdl::Random rng(12345);
  tsdl::Tensor<double> x = input;

  const tsdl::Tensor<double>& first_output = model.forward(x, options.training);
  tsdl::Tensor<double> projection(first_output.shape());
  fill_uniform(projection, rng);

  auto objective = [&]() {
    const tsdl::Tensor<double>& y = model.forward(x, options.training);
    return (y.array() * projection.array()).sum();
  };

  // Analytic gradients from one backward pass.
  model.zero_grad();
  model.forward(x, options.training);
  const tsdl::Tensor<double> dX = model.backward(projection);
  std::vector<tsdl::Tensor<double>> dW;
  for (auto& parameter : model.parameters()) dW.push_back(*parameter.gradient);

  for (tsdl::Index i = 0; i < x.size(); ++i) {
    const double saved = x[i];
    x[i] = saved + options.step;
    const double plus = objective();
    x[i] = saved - options.step;
    const double minus = objective();
    x[i] = saved;
    const double numeric = (plus - minus) / (2.0 * options.step);
    CAPTURE(i);
    CAPTURE(dX[i]);
    CAPTURE(numeric);
    CHECK(relative_error(dX[i], numeric, options.floor) < options.tolerance);
  }

  auto parameters = model.parameters();
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    tsdl::Tensor<double>& value = *parameters[p].value;
    for (tsdl::Index i = 0; i < value.size(); ++i) {
      const double saved = value[i];
      value[i] = saved + options.step;
      const double plus = objective();
      value[i] = saved - options.step;
      const double minus = objective();
      value[i] = saved;
      const double numeric = (plus - minus) / (2.0 * options.step);
      const std::string parameter = parameters[p].name;
      CAPTURE(p);
      CAPTURE(parameter);
      CAPTURE(i);
      CAPTURE(dW[p][i]);
      CAPTURE(numeric);
      CHECK(relative_error(dW[p][i], numeric, options.floor) < options.tolerance);
    }
  }
}

}  // namespace tsdl_test
