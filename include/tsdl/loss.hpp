// Binary cross-entropy, computed from the logit z of the final sigmoid, p = sigmoid(z).
//
// Per sample, with target y in {0, 1} and weight w:
//   loss = w * (max(z, 0) - z y + log(1 + exp(-|z|)))   equal to -w (y log p + (1 - y) log(1 - p))
//   dloss/dz = w * (p - y)
// The logit form stays finite for any finite z (z = +-800 included), where log(p) of a rounded p
// would give infinity. The batch loss is the mean over the batch: sum_i loss_i / batch, as Keras
// computes it with sample weights. pos_weight multiplies w of every positive sample; for 0/1 targets
// this equals TensorFlow's weighted_cross_entropy_with_logits.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>

#include "tsdl/tensor.hpp"

namespace tsdl {

class BinaryCrossEntropy {
 public:
  explicit BinaryCrossEntropy(double pos_weight = 1.0) : pos_weight_(pos_weight) {
    if (!(pos_weight > 0.0) || !std::isfinite(pos_weight)) {
      throw std::invalid_argument("BinaryCrossEntropy: pos_weight must be positive and finite, got " +
                                  std::to_string(pos_weight));
    }
  }

  double pos_weight() const { return pos_weight_; }

  // Returns the mean loss over the batch and writes dloss/dz into dlogits (same shape as logits).
  // logits and targets have one value per sample, and sample_weights, when not null, one weight
  // per sample.
  template <typename T>
  double forward_backward(const Tensor<T>& logits, const T* targets, const T* sample_weights,
                          Tensor<T>& dlogits) const {
    const Index count = logits.size();
    if (count == 0) throw std::invalid_argument("BinaryCrossEntropy: empty batch");
    dlogits.resize(logits.shape());
    double total = 0.0;
    for (Index i = 0; i < count; ++i) {
      const double z = static_cast<double>(logits[i]);
      const double y = static_cast<double>(targets[i]);
      double weight = sample_weights != nullptr ? static_cast<double>(sample_weights[i]) : 1.0;
      if (y > 0.5) weight *= pos_weight_;
      const double loss = std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
      const double p = z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
      total += weight * loss;
      dlogits[i] = static_cast<T>(weight * (p - y) / static_cast<double>(count));
    }
    return total / static_cast<double>(count);
  }

 private:
  double pos_weight_;
};

}  // namespace tsdl
