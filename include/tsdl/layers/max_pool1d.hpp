// MaxPool1D: maximum over sliding windows of the steps axis, per channel, as Keras's MaxPooling1D.
//
//   input   (batch, steps, channels)
//   output  (batch, output_steps, channels)   output_steps from window_geometry()
//   y[b, t, c] = max_{k < pool_size, position inside the input} x[b, t * strides - pad_left + k, c]
// Padded positions never win. When several positions share the maximum, the first one (lowest step)
// is the argmax and receives the whole gradient.
#pragma once

#include <limits>

#include "tsdl/layer.hpp"
#include "tsdl/padding.hpp"

namespace tsdl {

template <typename T>
class MaxPool1D : public Layer<T> {
 public:
  // strides = 0 means strides = pool_size, the Keras default.
  explicit MaxPool1D(Index pool_size = 2, Index strides = 0, Padding padding = Padding::valid)
      : pool_size_(pool_size), strides_(strides == 0 ? pool_size : strides), padding_(padding) {
    if (pool_size <= 0) {
      throw std::invalid_argument("MaxPool1D: pool_size must be positive, got " + std::to_string(pool_size));
    }
    if (strides < 0) throw std::invalid_argument("MaxPool1D: strides must be positive, got " + std::to_string(strides));
  }
  MaxPool1D(Index pool_size, Index strides, const std::string& padding)
      : MaxPool1D(pool_size, strides, parse_padding(padding)) {}

  std::string type_name() const override { return "MaxPool1D"; }
  Index pool_size() const { return pool_size_; }
  Index strides() const { return strides_; }
  Padding padding() const { return padding_; }

 protected:
  Shape build_impl(const Shape& input_shape, Random& /*rng*/) override {
    if (input_shape.size() != 2 || input_shape[0] <= 0 || input_shape[1] <= 0) {
      throw std::invalid_argument(this->describe() + ": expected input of shape (batch, steps, channels), got " +
                                  shape_to_string(input_shape, "batch"));
    }
    steps_ = input_shape[0];
    channels_ = input_shape[1];
    if (padding_ == Padding::valid && pool_size_ > steps_) {
      throw std::invalid_argument(this->describe() + ": pool_size " + std::to_string(pool_size_) +
                                  " is longer than the input's " + std::to_string(steps_) +
                                  " steps with 'valid' padding; input shape " + shape_to_string(input_shape, "batch"));
    }
    geometry_ = window_geometry(steps_, pool_size_, strides_, padding_);
    return {geometry_.output_length, channels_};
  }

  // Forward: records the input step of each maximum in argmax_ for the backward pass.
  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    const Index batch = input.dim(0);
    const Index out_steps = geometry_.output_length;
    output_.resize({batch, out_steps, channels_});
    argmax_.resize(static_cast<std::size_t>(batch * out_steps * channels_));
    const T* x = input.data();
    T* y = output_.data();

    // Parallel over the batch axis. For each output step the window's first row is copied, then
    // later rows replace a channel's value only when strictly greater, so ties keep the first.
#pragma omp parallel for schedule(static) if (batch * out_steps * channels_ * pool_size_ > 65536)
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < out_steps; ++t) {
        const Index first = std::max<Index>(t * strides_ - geometry_.pad_left, 0);
        const Index last = std::min<Index>(t * strides_ - geometry_.pad_left + pool_size_, steps_);
        const Index out_offset = (b * out_steps + t) * channels_;
        T* best = y + out_offset;
        Index* best_step = argmax_.data() + out_offset;
        const T* first_row = x + (b * steps_ + first) * channels_;
        for (Index c = 0; c < channels_; ++c) {
          best[c] = first_row[c];
          best_step[c] = first;
        }
        for (Index step = first + 1; step < last; ++step) {
          const T* row = x + (b * steps_ + step) * channels_;
          for (Index c = 0; c < channels_; ++c) {
            const bool greater = row[c] > best[c];
            best[c] = greater ? row[c] : best[c];
            best_step[c] = greater ? step : best_step[c];
          }
        }
      }
    }
    return output_;
  }

  // Backward: dX[b, argmax, c] += dY[b, t, c]; every other input position gets zero.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    const Index batch = dY.dim(0);
    const Index out_steps = geometry_.output_length;
    dinput_.resize({batch, steps_, channels_});
    dinput_.set_zero();
    const T* dy = dY.data();
    T* dx = dinput_.data();
    // Parallel over the batch axis: each sample writes only its own rows of dX.
#pragma omp parallel for schedule(static) if (batch * out_steps * channels_ > 65536)
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < out_steps; ++t) {
        const Index out_offset = (b * out_steps + t) * channels_;
        for (Index c = 0; c < channels_; ++c) {
          const Index step = argmax_[static_cast<std::size_t>(out_offset + c)];
          dx[(b * steps_ + step) * channels_ + c] += dy[out_offset + c];
        }
      }
    }
    return dinput_;
  }

 private:
  Index pool_size_, strides_;
  Padding padding_;
  Index steps_ = 0, channels_ = 0;
  WindowGeometry geometry_{0, 0, 0};
  std::vector<Index> argmax_;
  Tensor<T> output_, dinput_;
};

}  // namespace tsdl
