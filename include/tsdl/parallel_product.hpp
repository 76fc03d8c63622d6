// Matrix products whose results do not depend on the number of threads.
//
// Eigen's own multi-threaded product splits the output between threads in a way that depends on the
// thread count, and the floating-point sums then differ in their last bits between 1 and 2 threads.
// These helpers split the output into fixed blocks of rows (or of columns, for outputs with few
// rows), chosen from the shapes alone, and give each block to one thread, which runs Eigen's
// single-threaded product on it.
// The same shapes therefore give the same blocks and the same bits with any thread count.
#pragma once

#include <Eigen/Core>

#include "tsdl/tensor.hpp"

namespace tsdl {

// Rows per block: a multiple of Eigen's register-block height for float (12 with SSE, 24 with AVX,
// 48 with AVX-512), so blocks do not end in partial register tiles.
inline constexpr Index kProductBlockRows = 96;
// Columns per block when the output has too few rows to split.
inline constexpr Index kProductBlockCols = 64;

namespace detail {

// Products smaller than this many multiply-adds run on one thread: a thread team costs more.
inline constexpr double kMinParallelWork = 1 << 18;

template <bool Accumulate, typename Dst, typename Lhs, typename Rhs>
void product_block(Dst& dst, const Lhs& lhs, const Rhs& rhs) {
  if constexpr (Accumulate) {
    dst.noalias() += lhs * rhs;
  } else {
    dst.noalias() = lhs * rhs;
  }
}

template <bool Accumulate, typename Dst, typename Lhs, typename Rhs>
void blocked_product(Dst&& dst, const Lhs& lhs, const Rhs& rhs) {
  const Index rows = dst.rows();
  const Index cols = dst.cols();
  [[maybe_unused]] const double work = static_cast<double>(rows) * static_cast<double>(lhs.cols()) * static_cast<double>(cols);

  // Split the output rows when there are enough of them, else its columns; the choice depends on
  // the shapes only. Each block is one single-threaded Eigen product (see the file comment).
  const bool split_rows = rows >= 2 * kProductBlockRows || cols < 2 * kProductBlockCols;
  const Index length = split_rows ? rows : cols;
  const Index block_size = split_rows ? kProductBlockRows : kProductBlockCols;
  const Index blocks = (length + block_size - 1) / block_size;
  // Parallel over blocks of output rows or columns.
#pragma omp parallel for schedule(static) if (blocks > 1 && work >= kMinParallelWork)
  for (Index block = 0; block < blocks; ++block) {
    const Index first = block * block_size;
    const Index count = std::min(block_size, length - first);
    if (split_rows) {
      auto dst_block = dst.middleRows(first, count);
      product_block<Accumulate>(dst_block, lhs.middleRows(first, count), rhs);
    } else {
      auto dst_block = dst.middleCols(first, count);
      product_block<Accumulate>(dst_block, lhs, rhs.middleCols(first, count));
    }
  }
}

}  // namespace detail

// dst = lhs * rhs.
template <typename Dst, typename Lhs, typename Rhs>
void assign_product(Dst&& dst, const Lhs& lhs, const Rhs& rhs) {
  detail::blocked_product<false>(std::forward<Dst>(dst), lhs, rhs);
}

// dst += lhs * rhs.
template <typename Dst, typename Lhs, typename Rhs>
void add_product(Dst&& dst, const Lhs& lhs, const Rhs& rhs) {
  detail::blocked_product<true>(std::forward<Dst>(dst), lhs, rhs);
}

}  // namespace tsdl
