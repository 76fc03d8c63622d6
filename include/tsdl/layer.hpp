// Layer: the contract every tsdl layer implements.
//
// A layer is built once for a sample shape (the input shape without the batch axis), which creates
// and initialises its parameters. Then, for each mini-batch:
//   forward(X, training)  X: (batch, sample shape...)   returns Y: (batch, output shape...)
//   backward(dY)          dY has Y's shape              returns dX with X's shape
// backward() uses the values cached by the last forward() call and must follow it. Parameter
// gradients accumulate over backward() calls until zero_grad(), so an optimizer step is
// zero_grad(), forward(), backward(), then an update over parameters().
// The tensors that forward() and backward() return are owned by the layer and stay valid until
// its next forward() or backward() call.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/random.hpp"
#include "tsdl/tensor.hpp"

namespace tsdl {

// A trainable tensor and its gradient, of the same shape; the optimizer walks these in pairs.
template <typename T>
struct Parameter {
  std::string name;  // "kernel", "recurrent_kernel" or "bias", as Keras names them
  Tensor<T>* value;
  Tensor<T>* gradient;
};

template <typename T>
class Layer {
 public:
  virtual ~Layer() = default;

  // Keras class name, such as "Conv1D"; the default instance name is derived from it.
  virtual std::string type_name() const = 0;

  // Instance name shown by summary() and in error messages, such as "conv1d_1".
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  // Validates the sample shape, creates the parameters and initialises them from rng. Throws
  // std::invalid_argument naming the layer, the expected and the actual shape. Returns the output's
  // sample shape.
  Shape build(const Shape& input_shape, Random& rng) {
    output_shape_ = build_impl(input_shape, rng);
    input_shape_ = input_shape;
    built_ = true;
    zero_grad();
    return output_shape_;
  }

  bool built() const { return built_; }
  const Shape& input_shape() const { return input_shape_; }
  const Shape& output_shape() const { return output_shape_; }

  // Runs the layer on a batch. training enables dropout.
  const Tensor<T>& forward(const Tensor<T>& input, bool training) {
    check_built("forward");
    check_batch_shape(input, input_shape_, "input");
    return forward_impl(input, training);
  }

  // Propagates dY back through the last forward() call: accumulates parameter gradients and returns dX.
  const Tensor<T>& backward(const Tensor<T>& dY) {
    check_built("backward");
    check_batch_shape(dY, output_shape_, "output gradient");
    return backward_impl(dY);
  }

  // Trainable parameters with their gradients; empty for layers without weights.
  virtual std::vector<Parameter<T>> parameters() { return {}; }

  void zero_grad() {
    for (auto& parameter : parameters()) parameter.gradient->set_zero();
  }

  Index parameter_count() {
    Index count = 0;
    for (auto& parameter : parameters()) count += parameter.value->size();
    return count;
  }

  // Binary cross-entropy is computed from the logit z rather than from sigmoid(z), for stability. A
  // layer whose last step is a sigmoid returns its pre-activation z of the last forward() here, and
  // backward_from_logits(dZ) then skips the sigmoid's derivative. Other layers return nullptr.
  virtual const Tensor<T>* logits() const { return nullptr; }
  virtual const Tensor<T>& backward_from_logits(const Tensor<T>& /*dZ*/) {
    throw std::logic_error(name_ + ": layer does not end with a sigmoid, so it has no logits");
  }

 protected:
  virtual Shape build_impl(const Shape& input_shape, Random& rng) = 0;
  virtual const Tensor<T>& forward_impl(const Tensor<T>& input, bool training) = 0;
  virtual const Tensor<T>& backward_impl(const Tensor<T>& dY) = 0;

  // Error prefix naming the layer, such as "Conv1D 'conv1d_1'".
  std::string describe() const {
    return name_.empty() ? type_name() : type_name() + " '" + name_ + "'";
  }

  void check_built(const char* method) const {
    if (!built_) throw std::logic_error(describe() + ": " + method + "() called before build()");
  }

  void check_batch_shape(const Tensor<T>& tensor, const Shape& sample_shape, const char* what) const {
    bool matches = tensor.rank() == static_cast<Index>(sample_shape.size()) + 1;
    for (std::size_t axis = 0; matches && axis < sample_shape.size(); ++axis) {
      matches = tensor.dim(static_cast<Index>(axis) + 1) == sample_shape[axis];
    }
    if (!matches) {
      throw std::invalid_argument(describe() + ": expected " + what + " of shape " +
                                  shape_to_string(sample_shape, "batch") + ", got " +
                                  shape_to_string(tensor.shape()));
    }
  }

  std::string name_;

 private:
  Shape input_shape_;
  Shape output_shape_;
  bool built_ = false;
};

}  // namespace tsdl
