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
    training_pass_ = training && rate_ > 0.0;
    if (!training_pass_) {
      output_ = input;
      return output_;
    }

    if (!mask_frozen_ || mask_.size() != input.size()) fill_mask(input.shape());
    output_.resize(input.shape());
    output_.array() = input.array() * mask_.array();
    return output_;
  }

  // Backward: dX = dY * m / (1 - rate) in training, dX = dY at inference.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    if (!training_pass_) {
      dinput_ = dY;
      return dinput_;
    }
    dinput_.resize(dY.shape());
    dinput_.array() = dY.array() * mask_.array();
    return dinput_;
  }

 private:
  // Draws the mask from 32-bit halves of the generator's output: an element is kept when its
  // draw u in [0, 2^32) satisfies u >= rate * 2^32, which has probability 1 - rate up to 2^-32.
  void fill_mask(const Shape& shape) {
    mask_.resize(shape);
    const T scale = static_cast<T>(1.0 / (1.0 - rate_));
    const auto threshold = static_cast<std::uint64_t>(rate_ * 4294967296.0);
    T* mask = mask_.data();
    const Index size = mask_.size();
    Index i = 0;
    for (; i + 1 < size; i += 2) {
      const std::uint64_t bits = rng_.next_u64();
      mask[i] = (bits & 0xFFFFFFFFULL) >= threshold ? scale : T(0);
      mask[i + 1] = (bits >> 32) >= threshold ? scale : T(0);
    }
    if (i < size) mask[i] = (rng_.next_u64() & 0xFFFFFFFFULL) >= threshold ? scale : T(0);
  }

  double rate_;
  Random rng_;
  bool mask_frozen_ = false;
  bool training_pass_ = false;
  Tensor<T> mask_, output_, dinput_;
};

}  // namespace tsdl
