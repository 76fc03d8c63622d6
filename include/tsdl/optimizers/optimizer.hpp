// Optimizer: updates parameters from their accumulated gradients.
//
// step() first applies optional clipping by global norm: when the L2 norm of all gradients together,
// g = sqrt(sum over every parameter of |gradient|^2), exceeds clipnorm, every gradient is scaled by
// clipnorm / g (as Keras's global_clipnorm). The subclass update rule then runs on each parameter.
// An optimizer keeps per-parameter state in the order of the parameter list it is given, so the list
// must be the same, in the same order, at every step.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/layer.hpp"

namespace tsdl {

template <typename T>
class Optimizer {
 public:
  explicit Optimizer(double learning_rate) : learning_rate_(learning_rate) {
    if (!(learning_rate > 0.0) || !std::isfinite(learning_rate)) {
      throw std::invalid_argument("Optimizer: learning_rate must be positive and finite, got " +
                                  std::to_string(learning_rate));
    }
  }
  virtual ~Optimizer() = default;

  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double learning_rate) {
    if (!(learning_rate > 0.0) || !std::isfinite(learning_rate)) {
      throw std::invalid_argument("Optimizer::set_learning_rate: learning_rate must be positive and finite, got " +
                                  std::to_string(learning_rate));
    }
    learning_rate_ = learning_rate;
  }

  // Sets the global-norm clipping threshold; 0 disables clipping.
  void set_clipnorm(double clipnorm) {
    if (!(clipnorm >= 0.0)) throw std::invalid_argument("Optimizer: clipnorm must be >= 0, got " + std::to_string(clipnorm));
    clipnorm_ = clipnorm;
  }
  double clipnorm() const { return clipnorm_; }

  // Number of steps taken so far.
  long iterations() const { return iterations_; }

  // Per-parameter state tensors in a fixed order (Adam: m of every parameter, then v of every
  // parameter; SGD: the velocities), for saving and restoring. Empty before the first step() or
  // reset_state().
  virtual std::vector<Tensor<T>*> state_tensors() { return {}; }

  // Creates zero state for `parameters`, as the first step() does, and sets the step count. A saved
  // state can then be copied into state_tensors() before training resumes.
  void reset_state(const std::vector<Parameter<T>>& parameters, long iterations) {
    state_shapes_.clear();
    for (const auto& parameter : parameters) state_shapes_.push_back(parameter.value->shape());
    initialize_state(parameters);
    iterations_ = iterations;
  }

  void step(const std::vector<Parameter<T>>& parameters) {
    if (!state_shapes_.empty() && state_shapes_.size() != parameters.size()) {
      throw std::logic_error("Optimizer: got " + std::to_string(parameters.size()) + " parameters after " +
                             std::to_string(state_shapes_.size()) + " in earlier steps");
    }
    if (state_shapes_.empty()) {
      for (const auto& parameter : parameters) state_shapes_.push_back(parameter.value->shape());
      initialize_state(parameters);
    }

    T scale = T(1);
    if (clipnorm_ > 0.0) {
      double squared = 0.0;
      for (const auto& parameter : parameters) {
        squared += static_cast<double>(parameter.gradient->array().square().sum());
      }
      const double norm = std::sqrt(squared);
      if (norm > clipnorm_) scale = static_cast<T>(clipnorm_ / norm);
    }

    ++iterations_;
    for (std::size_t i = 0; i < parameters.size(); ++i) update(i, parameters[i], scale);
  }

 protected:
  // Creates per-parameter state (moments, velocities) for the given parameter list.
  virtual void initialize_state(const std::vector<Parameter<T>>& parameters) = 0;
  // Applies the update rule to parameter `index`, whose gradient must be multiplied by gradient_scale.
  virtual void update(std::size_t index, const Parameter<T>& parameter, T gradient_scale) = 0;

  double learning_rate_;
  double clipnorm_ = 0.0;
  long iterations_ = 0;

 private:
  std::vector<Shape> state_shapes_;
};

}  // namespace tsdl
