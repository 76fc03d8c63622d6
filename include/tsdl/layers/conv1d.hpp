// Conv1D: 1-D cross-correlation over the steps axis, channels last, as Keras's Conv1D.
//
//   input   (batch, steps, channels)
//   output  (batch, output_steps, filters)
//   kernel  (kernel_size, channels, filters)   glorot-uniform, fan_in = kernel_size * channels,
//                                              fan_out = kernel_size * filters
//   bias    (filters)                           zeros
//   y[b, t, f] = activation(bias[f] + sum_{k, c} x_pad[b, t * strides + k, c] * kernel[k, c, f])
// The kernel is not flipped. output_steps and the zero padding of x_pad follow window_geometry().
// The layer lowers the convolution to one matrix product: each output step's receptive field is
// copied into a row of `columns` (batch * output_steps, kernel_size * channels), whose column order
// matches the kernel viewed as a (kernel_size * channels, filters) matrix.
#pragma once

#include "tsdl/activation.hpp"
#include "tsdl/initializers.hpp"
#include "tsdl/layer.hpp"
#include "tsdl/padding.hpp"
#include "tsdl/parallel_product.hpp"

namespace tsdl {

template <typename T>
class Conv1D : public Layer<T> {
 public:
  Conv1D(Index filters, Index kernel_size, Index strides = 1, Padding padding = Padding::valid,
         ActivationKind activation = ActivationKind::linear)
      : filters_(filters), kernel_size_(kernel_size), strides_(strides), padding_(padding), activation_(activation) {
    if (filters <= 0) throw std::invalid_argument("Conv1D: filters must be positive, got " + std::to_string(filters));
    if (kernel_size <= 0) {
      throw std::invalid_argument("Conv1D: kernel_size must be positive, got " + std::to_string(kernel_size));
    }
    if (strides <= 0) throw std::invalid_argument("Conv1D: strides must be positive, got " + std::to_string(strides));
  }
  Conv1D(Index filters, Index kernel_size, Index strides, const std::string& padding,
         const std::string& activation = "linear")
      : Conv1D(filters, kernel_size, strides, parse_padding(padding), parse_activation(activation)) {}

  std::string type_name() const override { return "Conv1D"; }
  Index filters() const { return filters_; }
  Index kernel_size() const { return kernel_size_; }
  Index strides() const { return strides_; }
  Padding padding() const { return padding_; }
  ActivationKind activation() const { return activation_; }

  std::vector<Parameter<T>> parameters() override {
    return {{"kernel", &kernel_, &dkernel_}, {"bias", &bias_, &dbias_}};
  }

  const Tensor<T>* logits() const override {
    return activation_ == ActivationKind::sigmoid ? &logits_ : nullptr;
  }

 protected:
  Shape build_impl(const Shape& input_shape, Random& rng) override {
    if (input_shape.size() != 2 || input_shape[0] <= 0 || input_shape[1] <= 0) {
      throw std::invalid_argument(this->describe() + ": expected input of shape (batch, steps, channels), got " +
                                  shape_to_string(input_shape, "batch"));
    }
    steps_ = input_shape[0];
    channels_ = input_shape[1];
    if (padding_ == Padding::valid && kernel_size_ > steps_) {
      throw std::invalid_argument(this->describe() + ": kernel_size " + std::to_string(kernel_size_) +
                                  " is longer than the input's " + std::to_string(steps_) +
                                  " steps with 'valid' padding; input shape " + shape_to_string(input_shape, "batch"));
    }
    geometry_ = window_geometry(steps_, kernel_size_, strides_, padding_);

    kernel_.resize({kernel_size_, channels_, filters_});
    dkernel_.resize(kernel_.shape());
    bias_.resize({filters_});
    dbias_.resize({filters_});
    glorot_uniform(kernel_, kernel_size_ * channels_, kernel_size_ * filters_, rng);
    bias_.set_zero();
    return {geometry_.output_length, filters_};
  }

  // Forward: columns = im2col(X); Z = columns * kernel + bias; Y = activation(Z).
  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    const Index batch = input.dim(0);
    const Index rows = batch * geometry_.output_length;
    const Index width = kernel_size_ * channels_;
    columns_.resize({rows, width});
    fill_columns(input, batch);

    output_.resize({batch, geometry_.output_length, filters_});
    auto y = output_.matrix(rows, filters_);
    assign_product(y, columns_.matrix(), kernel_.matrix(width, filters_));
    y.rowwise() += bias_.matrix(1, filters_).row(0);
    if (activation_ == ActivationKind::sigmoid) logits_ = output_;
    apply_activation<T>(activation_, output_.array());
    return output_;
  }

  // Backward: dZ = dY * activation'(Z); dkernel += columns^T dZ; dbias += column sums of dZ;
  // dcolumns = dZ kernel^T, then each row is added back onto the input steps it was copied from.
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
  // Copies the receptive field of every output step into one row of columns_, with zeros where the
  // window covers padding.
  void fill_columns(const Tensor<T>& input, Index batch) {
    const Index out_steps = geometry_.output_length;
    const T* x = input.data();
    T* columns = columns_.data();
    // Parallel over the batch axis: each sample writes its own rows.
#pragma omp parallel for schedule(static) if (batch * out_steps * kernel_size_ * channels_ > 32768)
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < out_steps; ++t) {
        T* row = columns + (b * out_steps + t) * kernel_size_ * channels_;
        const Index first = t * strides_ - geometry_.pad_left;
        for (Index k = 0; k < kernel_size_; ++k) {
          const Index step = first + k;
          T* destination = row + k * channels_;
          if (step < 0 || step >= steps_) {
            std::fill(destination, destination + channels_, T(0));
          } else {
            const T* source = x + (b * steps_ + step) * channels_;
            std::copy(source, source + channels_, destination);
          }
        }
      }
    }
  }

  const Tensor<T>& backward_linear() {
    const Index batch = dZ_.dim(0);
    const Index out_steps = geometry_.output_length;
    const Index rows = batch * out_steps;
    const Index width = kernel_size_ * channels_;
    const auto dz = dZ_.matrix(rows, filters_);

    add_product(dkernel_.matrix(width, filters_), columns_.matrix().transpose(), dz);
    dbias_.matrix(1, filters_).row(0) += dz.colwise().sum();

    dcolumns_.resize({rows, width});
    assign_product(dcolumns_.matrix(), dz, kernel_.matrix(width, filters_).transpose());

    dinput_.resize({batch, steps_, channels_});
    dinput_.set_zero();
    const T* dcolumns = dcolumns_.data();
    T* dx = dinput_.data();
    // Parallel over the batch axis: overlapping windows of one sample are summed by one thread in a
    // fixed order, so the result does not depend on the thread count.
#pragma omp parallel for schedule(static) if (rows * width > 32768)
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < out_steps; ++t) {
        const T* row = dcolumns + (b * out_steps + t) * width;
        const Index first = t * strides_ - geometry_.pad_left;
        for (Index k = 0; k < kernel_size_; ++k) {
          const Index step = first + k;
          if (step < 0 || step >= steps_) continue;
          T* destination = dx + (b * steps_ + step) * channels_;
          const T* source = row + k * channels_;
          for (Index c = 0; c < channels_; ++c) destination[c] += source[c];
        }
      }
    }
    return dinput_;
  }

  Index filters_, kernel_size_, strides_;
  Padding padding_;
  ActivationKind activation_;
  Index steps_ = 0, channels_ = 0;
  WindowGeometry geometry_{0, 0, 0};
  Tensor<T> kernel_, dkernel_, bias_, dbias_;
  Tensor<T> columns_, output_, logits_, dZ_, dcolumns_, dinput_;
};

}  // namespace tsdl
