// The LSTM's time loop allocates no heap memory: the heap allocations of a forward and backward
// pass do not grow with the number of time steps. Counted by interposing malloc, so the check runs
// only with glibc, which exports __libc_malloc, and not under AddressSanitizer, whose own malloc
// must see every allocation.
#include <atomic>
#include <cstdlib>

#include <doctest/doctest.h>

#include "tsdl/tsdl.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define TSDL_TEST_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TSDL_TEST_ADDRESS_SANITIZER 1
#endif
#endif

#if defined(__GLIBC__) && !defined(TSDL_TEST_ADDRESS_SANITIZER)
extern "C" void* __libc_malloc(std::size_t size);

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

// Every allocation of this executable goes through here, Eigen's and operator new's included.
extern "C" void* malloc(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

namespace {

// Returns the heap allocations of one forward and backward pass of an LSTM over `time` steps,
// after a first pass has sized every buffer.
long allocations_per_pass(tsdl::Index units, tsdl::Index features, tsdl::Index time, tsdl::Index batch) {
  using namespace tsdl;
  LSTM<float> lstm(units, true);
  Random rng(1);
  lstm.build({time, features}, rng);
  Tensor<float> x({batch, time, features});
  x.fill(0.25f);
  Tensor<float> dY({batch, time, units});
  dY.fill(0.5f);
  lstm.forward(x, true);
  lstm.backward(dY);

  allocations = 0;
  counting = true;
  lstm.forward(x, true);
  lstm.backward(dY);
  counting = false;
  return allocations.load();
}

}  // namespace

TEST_CASE("LSTM time loop allocates nothing") {
  // The hybrid model's LSTM(100) on 128 features and the stack's LSTM(64), at batch 64 (two
  // parallel chunks) and batch 1.
  const tsdl::Index shapes[][3] = {{100, 128, 64}, {64, 64, 64}, {64, 4, 1}};
  for (const auto& shape : shapes) {
    CAPTURE(shape[0]);
    CAPTURE(shape[1]);
    CAPTURE(shape[2]);
    const long short_run = allocations_per_pass(shape[0], shape[1], 3, shape[2]);
    const long long_run = allocations_per_pass(shape[0], shape[1], 30, shape[2]);
    CHECK(long_run == short_run);
  }
}
#else
TEST_CASE("LSTM time loop allocates nothing") {
  MESSAGE("skipped: counting allocations needs glibc and a build without AddressSanitizer");
}
#endif
