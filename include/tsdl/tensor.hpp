// Tensor: the dense, row-major array that every layer reads and writes.
//
// Dimension names used throughout tsdl, always in this order (Keras's channels-last layout):
//   batch     samples in a mini-batch
//   time      time steps of a sequence
//   steps     positions inside one time step, for rank-4 input to TimeDistributed(Conv1D)
//   features  values per position (called channels for Conv1D input, filters for its output)
// A rank-3 tensor is (batch, time, features); the last axis is contiguous in memory.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// tsdl runs its own OpenMP loops with fixed work splits (parallel_product.hpp), so that results do
// not depend on the thread count, and Eigen's own threading would break that. The CMake target
// defines EIGEN_DONT_PARALLELIZE for every file that links tsdl::tsdl. The definition below covers
// other builds, as long as no Eigen header was included before this one.
#ifndef EIGEN_DONT_PARALLELIZE
#define EIGEN_DONT_PARALLELIZE
#endif
// Eigen puts a matrix product's packing buffers on the heap when they exceed this many bytes
// (default 128 KiB). The LSTM's per-step products pack up to 4 * units * units floats, which is
// 160 KB for units 100, so with the default its time loop would allocate. 512 KiB keeps that loop
// free of heap allocations up to about 180 units. Threads then need more than 512 KiB of stack.
#ifndef EIGEN_STACK_ALLOCATION_LIMIT
#define EIGEN_STACK_ALLOCATION_LIMIT 524288
#endif
#include <Eigen/Core>

namespace tsdl {

using Index = Eigen::Index;

// Shape of a tensor, outermost axis first. A layer's "sample shape" omits the batch axis.
using Shape = std::vector<Index>;

inline Index shape_size(const Shape& shape) {
  Index size = 1;
  for (Index dim : shape) size *= dim;
  return size;
}

// Formats a shape as Keras prints it, for example "(None, 28, 64)" when batch is "None".
inline std::string shape_to_string(const Shape& shape, const std::string& batch = "") {
  std::ostringstream out;
  out << "(";
  bool first = true;
  if (!batch.empty()) {
    out << batch;
    first = false;
  }
  for (Index dim : shape) {
    out << (first ? "" : ", ") << dim;
    first = false;
  }
  if (shape.size() == 1 && batch.empty()) out << ",";
  out << ")";
  return out.str();
}

template <typename T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using MatrixMap = Eigen::Map<RowMatrix<T>, Eigen::Unaligned>;
template <typename T>
using ConstMatrixMap = Eigen::Map<const RowMatrix<T>, Eigen::Unaligned>;
template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;

// Owning, contiguous, row-major tensor of rank 1 to 4. Resizing to a shape with the same number of
// elements keeps the allocation, so layers reuse their buffers from batch to batch.
template <typename T>
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape) { resize(std::move(shape)); }
  Tensor(std::initializer_list<Index> shape) { resize(Shape(shape)); }

  // Sets the shape. Element values are unspecified afterwards unless the size is unchanged.
  void resize(Shape shape) {
    for (Index dim : shape) {
      if (dim < 0) throw std::invalid_argument("Tensor: negative dimension in shape " + shape_to_string(shape));
    }
    const Index size = shape_size(shape);
    if (size != data_.size()) data_.resize(size);
    shape_ = std::move(shape);
  }

  // Changes the shape without touching the data; the element count must stay the same.
  void reshape(Shape shape) {
    if (shape_size(shape) != data_.size()) {
      throw std::invalid_argument("Tensor::reshape: cannot view " + std::to_string(data_.size()) +
                                  " elements as shape " + shape_to_string(shape));
    }
    shape_ = std::move(shape);
  }

  void set_zero() { data_.setZero(); }
  void fill(T value) { data_.setConstant(value); }

  const Shape& shape() const { return shape_; }
  Index rank() const { return static_cast<Index>(shape_.size()); }
  Index dim(Index axis) const { return shape_.at(static_cast<std::size_t>(axis)); }
  Index size() const { return data_.size(); }
  bool empty() const { return data_.size() == 0; }

  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  T& operator[](Index i) { return data_[i]; }
  const T& operator[](Index i) const { return data_[i]; }

  // Element access by full index; meant for tests and small code, not for kernels.
  template <typename... Indices>
  T& at(Indices... indices) {
    return data_[flat_index({static_cast<Index>(indices)...})];
  }
  template <typename... Indices>
  const T& at(Indices... indices) const {
    return data_[flat_index({static_cast<Index>(indices)...})];
  }

  // Views the data as a (rows, size / rows) row-major matrix; rows = product of all but the last axis
  // when not given.
  MatrixMap<T> matrix() { return MatrixMap<T>(data_.data(), leading_size(), last_dim()); }
  ConstMatrixMap<T> matrix() const { return ConstMatrixMap<T>(data_.data(), leading_size(), last_dim()); }
  MatrixMap<T> matrix(Index rows, Index cols) {
    check_view(rows, cols);
    return MatrixMap<T>(data_.data(), rows, cols);
  }
  ConstMatrixMap<T> matrix(Index rows, Index cols) const {
    check_view(rows, cols);
    return ConstMatrixMap<T>(data_.data(), rows, cols);
  }
  ArrayMap<T> array() { return ArrayMap<T>(data_.data(), data_.size()); }
  ConstArrayMap<T> array() const { return ConstArrayMap<T>(data_.data(), data_.size()); }

  const Eigen::Matrix<T, Eigen::Dynamic, 1>& storage() const { return data_; }

 private:
  Index last_dim() const { return shape_.empty() ? data_.size() : shape_.back(); }
  Index leading_size() const {
    const Index last = last_dim();
    return last == 0 ? 0 : data_.size() / last;
  }
  void check_view(Index rows, Index cols) const {
    if (rows * cols != data_.size()) {
      throw std::invalid_argument("Tensor: cannot view " + std::to_string(data_.size()) + " elements as a " +
                                  std::to_string(rows) + " x " + std::to_string(cols) + " matrix");
    }
  }
  Index flat_index(std::initializer_list<Index> indices) const {
    if (indices.size() != shape_.size()) {
      throw std::out_of_range("Tensor::at: " + std::to_string(indices.size()) + " indices for a tensor of rank " +
                              std::to_string(shape_.size()));
    }
    Index flat = 0;
    std::size_t axis = 0;
    for (Index i : indices) {
      if (i < 0 || i >= shape_[axis]) {
        throw std::out_of_range("Tensor::at: index " + std::to_string(i) + " out of range for axis " +
                                std::to_string(axis) + " of shape " + shape_to_string(shape_));
      }
      flat = flat * shape_[axis] + i;
      ++axis;
    }
    return flat;
  }

  Shape shape_;
  Eigen::Matrix<T, Eigen::Dynamic, 1> data_;
};

}  // namespace tsdl
