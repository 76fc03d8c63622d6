// Matrix products whose results do not depend on the number of threads.
//
// Eigen's own multi-threaded product splits the output between threads in a way that depends on the
// thread count, and the floating-point sums then differ in their last bits between 1 and 2 threads.
// These helpers split the output rows into fixed blocks of kProductBlockRows rows, chosen from the
// shapes alone, and give each block to one thread, which runs Eigen's single-threaded product on it.
// The same shapes therefore give the same blocks and the same bits with any thread count.
#pragma once

#include <Eigen/Core>

#include "tsdl/tensor.hpp"

namespace tsdl {

// Rows per block: a multiple of Eigen's register-block height for float (12 with SSE, 24 with AVX,
// 48 with AVX-512), so blocks do not end in partial register tiles.
inline constexpr Index kProductBlockRows = 96;

namespace detail {

// Products smaller than this many multiply-adds run on one thread: a thread team costs more.
inline constexpr double kMinParallelWork = 1 << 18;

template <bool Accumulate, typename Dst, typename Lhs, typename Rhs>
void blocked_product(Dst&& dst, const Lhs& lhs, const Rhs& rhs) {
  const Index rows = dst.rows();
  const Index blocks = (rows + kProductBlockRows - 1) / kProductBlockRows;
  const double work = static_cast<double>(rows) * static_cast<double>(lhs.cols()) * static_cast<double>(dst.cols());
  // Parallel over blocks of output rows; each block is one single-threaded Eigen product, because
  // Eigen does not start threads of its own inside an OpenMP parallel region.
#pragma omp parallel for schedule(static) if (blocks > 1 && work >= kMinParallelWork)
  for (Index block = 0; block < blocks; ++block) {
    const Index first = block * kProductBlockRows;
    const Index count = std::min(kProductBlockRows, rows - first);
    if constexpr (Accumulate) {
      dst.middleRows(first, count).noalias() += lhs.middleRows(first, count) * rhs;
    } else {
      dst.middleRows(first, count).noalias() = lhs.middleRows(first, count) * rhs;
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
