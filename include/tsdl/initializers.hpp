// Weight initialisers with Keras's defaults.
#pragma once

#include <cmath>

#include <Eigen/QR>

#include "tsdl/random.hpp"
#include "tsdl/tensor.hpp"

namespace tsdl {

// Fills a tensor from U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)) (Glorot and
// Bengio, 2010), the Keras default for kernels.
template <typename T>
void glorot_uniform(Tensor<T>& weights, Index fan_in, Index fan_out, Random& rng) {
  const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  for (Index i = 0; i < weights.size(); ++i) weights[i] = static_cast<T>(rng.uniform(-limit, limit));
}

// Fills a (rows, cols) tensor with a random orthogonal matrix, the Keras default for recurrent
// kernels: the Q factor of a standard-normal matrix, with column signs fixed by diag(R) so that the
// distribution is uniform. When rows < cols the rows are orthonormal, otherwise the columns.
template <typename T>
void orthogonal(Tensor<T>& weights, Random& rng) {
  const Index rows = weights.dim(0);
  const Index cols = weights.size() / rows;
  const bool transpose = rows < cols;
  const Index tall_rows = transpose ? cols : rows;
  const Index tall_cols = transpose ? rows : cols;

  Eigen::MatrixXd normal(tall_rows, tall_cols);
  for (Index i = 0; i < normal.size(); ++i) normal.data()[i] = rng.normal();

  Eigen::HouseholderQR<Eigen::MatrixXd> qr(normal);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(tall_rows, tall_cols);
  const Eigen::MatrixXd r = qr.matrixQR().topRows(tall_cols).template triangularView<Eigen::Upper>();
  for (Index j = 0; j < tall_cols; ++j) {
    if (r(j, j) < 0) q.col(j) *= -1.0;
  }

  auto target = weights.matrix(rows, cols);
  if (transpose) {
    target = q.transpose().template cast<T>();
  } else {
    target = q.template cast<T>();
  }
}

}  // namespace tsdl
