// Dropout: inverted dropout, active only when forward() is called with training = true.
//
//   input and output  (batch, ...)
//   training:   y = x * m / (1 - rate), with m ~ Bernoulli(1 - rate) drawn per element
//   inference:  y = x
// backward() applies the same scaled mask as the forward pass it follows. The mask stream is seeded
// at build() from the model's seed, so runs with equal seeds drop the same elements.
#pragma once

#include "tsdl/layer.hpp"

namespace tsdl {

template <typename T>
class Dropout : public Layer<T> {
 public:
  explicit Dropout(double rate) : rate_(rate) {
    if (!(rate >= 0.0 && rate < 1.0)) {
      throw std::invalid_argument("Dropout: rate must be in [0, 1), got " + std::to_string(rate));
    }
  }

  std::string type_name() const override { return "Dropout"; }
  double rate() const { return rate_; }

  // Keeps the current mask for later training-mode forward passes, so a gradient check sees a fixed
  // function. The mask must already exist, from a training-mode forward() on a batch of this shape.
  void freeze_mask(bool frozen) { mask_frozen_ = frozen; }

 protected:
  Shape build_impl(const Shape& input_shape, Random& rng) override {
    if (input_shape.empty()) {
      throw std::invalid_argument(this->describe() + ": expected input with at least one axis besides batch");
    }
    rng_.reseed(rng.next_u64());
    return input_shape;
  }

  const Tensor<T>& forward_impl(const Tensor<T>& input, bool training) override {
    output_ = input;
    training_pass_ = training && rate_ > 0.0;
    if (!training_pass_) return output_;

    if (!mask_frozen_ || mask_.size() != input.size()) {
      mask_.resize(input.shape());
      const T scale = static_cast<T>(1.0 / (1.0 - rate_));
      for (Index i = 0; i < mask_.size(); ++i) mask_[i] = rng_.uniform() >= rate_ ? scale : T(0);
    }
    output_.array() *= mask_.array();
    return output_;
  }

  // Backward: dX = dY * m / (1 - rate) in training, dX = dY at inference.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    dinput_ = dY;
    if (training_pass_) dinput_.array() *= mask_.array();
    return dinput_;
  }

 private:
  double rate_;
  Random rng_;
  bool mask_frozen_ = false;
  bool training_pass_ = false;
  Tensor<T> mask_, output_, dinput_;
};

}  // namespace tsdl
