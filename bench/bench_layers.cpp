// Layer kernels at the shapes of the three failure classifiers, forward and forward + backward.
//
// Every benchmark takes the thread count as its last argument and sets both OpenMP's and Eigen's.
// Counters: items_per_second counts samples (batch rows); GFLOPS counts the multiply-adds of the
// matrix products as 2 FLOPs each, with the formula beside each benchmark. Element-wise work
// (activations, gates) is not counted. BM_EigenGemm measures the machine's practical peak for fp32
// matrix products, so each kernel's GFLOPS can be read as a fraction of it. With 2 threads it splits
// the output into one column panel per thread, because the library defines EIGEN_DONT_PARALLELIZE
// and a plain Eigen product would use one core whatever the thread count.
#include <benchmark/benchmark.h>
#include <omp.h>

#include "tsdl/tsdl.hpp"

using namespace tsdl;

namespace {

void set_threads(int threads) {
  omp_set_num_threads(threads);
  Eigen::setNbThreads(threads);
}

Tensor<float> random_tensor(const Shape& shape, std::uint64_t seed = 1) {
  Tensor<float> tensor(shape);
  Random rng(seed);
  for (Index i = 0; i < tensor.size(); ++i) tensor[i] = static_cast<float>(rng.uniform(-1.0, 1.0));
  return tensor;
}

// Runs forward (and backward when `backward` is set) of a layer built for `sample_shape` on a batch.
void run_layer(benchmark::State& state, Layer<float>& layer, const Shape& sample_shape, Index batch, bool backward,
               double forward_flops) {
  Random rng(0);
  layer.build(sample_shape, rng);
  Shape input_shape = sample_shape;
  input_shape.insert(input_shape.begin(), batch);
  const Tensor<float> x = random_tensor(input_shape);
  Shape output_shape = layer.output_shape();
  output_shape.insert(output_shape.begin(), batch);
  const Tensor<float> dY = random_tensor(output_shape, 2);

  for (auto _ : state) {
    const Tensor<float>& y = layer.forward(x, true);
    benchmark::DoNotOptimize(y.data());
    if (backward) {
      const Tensor<float>& dX = layer.backward(dY);
      benchmark::DoNotOptimize(dX.data());
    }
    benchmark::ClobberMemory();
  }
  // A backward pass costs two products of the forward's size (dW and dX), so 3x the forward total.
  const double flops = forward_flops * (backward ? 3.0 : 1.0);
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["GFLOPS"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// Args: batch, input features, units, backward (0/1), threads. Sequence length 30.
// FLOPs forward = 2 * batch * time * (features + units) * 4 * units.
void BM_LSTM(benchmark::State& state) {
  const Index batch = state.range(0), features = state.range(1), units = state.range(2);
  set_threads(static_cast<int>(state.range(4)));
  LSTM<float> lstm(units, true);
  const double flops = 2.0 * batch * 30 * (features + units) * 4 * units;
  run_layer(state, lstm, {30, features}, batch, state.range(3) != 0, flops);
}

// Args: batch, channels, filters, backward, threads. Kernel 3, 30 steps, valid padding.
// FLOPs forward = 2 * batch * output_steps * kernel_size * channels * filters.
void BM_Conv1D(benchmark::State& state) {
  const Index batch = state.range(0), channels = state.range(1), filters = state.range(2);
  set_threads(static_cast<int>(state.range(4)));
  Conv1D<float> conv(filters, 3, 1, Padding::valid, ActivationKind::relu);
  const double flops = 2.0 * batch * 28 * 3 * channels * filters;
  run_layer(state, conv, {30, channels}, batch, state.range(3) != 0, flops);
}

// The hybrid model's first layer: TimeDistributed(Conv1D(64, 2)) on (30, 4, 1).
// Args: batch, backward, threads. FLOPs forward = 2 * batch * 30 * 3 * 2 * 1 * 64.
void BM_TimeDistributedConv1D(benchmark::State& state) {
  const Index batch = state.range(0);
  set_threads(static_cast<int>(state.range(2)));
  TimeDistributed<float> layer(Conv1D<float>(64, 2, 1, Padding::valid, ActivationKind::relu));
  const double flops = 2.0 * batch * 30 * 3 * 2 * 1 * 64;
  run_layer(state, layer, {30, 4, 1}, batch, state.range(1) != 0, flops);
}

// The CNN's first dense layer, 832 -> 128. Args: batch, backward, threads.
// FLOPs forward = 2 * batch * 832 * 128.
void BM_Dense(benchmark::State& state) {
  const Index batch = state.range(0);
  set_threads(static_cast<int>(state.range(2)));
  Dense<float> dense(128, ActivationKind::relu);
  const double flops = 2.0 * batch * 832 * 128;
  run_layer(state, dense, {832}, batch, state.range(1) != 0, flops);
}

// The CNN's pooling layer on (26, 64). Args: batch, backward, threads. It does no multiply-adds;
// GFLOPS here counts comparisons, batch * 13 * 64 * 2.
void BM_MaxPool1D(benchmark::State& state) {
  const Index batch = state.range(0);
  set_threads(static_cast<int>(state.range(2)));
  MaxPool1D<float> pool(2);
  const double comparisons = 2.0 * batch * 13 * 64;
  run_layer(state, pool, {26, 64}, batch, state.range(1) != 0, comparisons);
}

// fp32 product of two n x n matrices: 2 n^3 FLOPs. Args: n, threads.
void BM_EigenGemm(benchmark::State& state) {
  const Index n = state.range(0);
  set_threads(static_cast<int>(state.range(1)));
  const Index threads = state.range(1);
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
  for (auto _ : state) {
    // One column panel of c per thread, each a single-threaded Eigen product.
#pragma omp parallel for schedule(static)
    for (Index panel = 0; panel < threads; ++panel) {
      const Index first = panel * n / threads;
      const Index count = (panel + 1) * n / threads - first;
      c.middleCols(first, count).noalias() = a * b.middleCols(first, count);
    }
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] =
      benchmark::Counter(2.0 * n * n * n * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void lstm_arguments(benchmark::internal::Benchmark* bench) {
  for (int threads : {1, 2}) {
    for (int backward : {0, 1}) {
      for (int features : {4, 64, 128}) {
        for (int units : {64, 100}) bench->Args({64, features, units, backward, threads});
      }
      bench->Args({1, 4, 64, backward, threads});
      bench->Args({256, 4, 64, backward, threads});
    }
  }
}

void conv_arguments(benchmark::internal::Benchmark* bench) {
  for (int threads : {1, 2}) {
    for (int backward : {0, 1}) {
      for (int batch : {1, 64, 256}) {
        bench->Args({batch, 4, 64, backward, threads});
        bench->Args({batch, 64, 64, backward, threads});
      }
    }
  }
}

void batch_arguments(benchmark::internal::Benchmark* bench) {
  for (int threads : {1, 2}) {
    for (int backward : {0, 1}) {
      for (int batch : {1, 64, 256}) bench->Args({batch, backward, threads});
    }
  }
}

}  // namespace

BENCHMARK(BM_EigenGemm)->ArgNames({"n", "threads"})->Args({1024, 1})->Args({1024, 2})->UseRealTime();
BENCHMARK(BM_LSTM)->ArgNames({"batch", "features", "units", "backward", "threads"})->Apply(lstm_arguments)->UseRealTime();
BENCHMARK(BM_Conv1D)->ArgNames({"batch", "channels", "filters", "backward", "threads"})->Apply(conv_arguments)->UseRealTime();
BENCHMARK(BM_TimeDistributedConv1D)->ArgNames({"batch", "backward", "threads"})->Apply(batch_arguments)->UseRealTime();
BENCHMARK(BM_Dense)->ArgNames({"batch", "backward", "threads"})->Apply(batch_arguments)->UseRealTime();
BENCHMARK(BM_MaxPool1D)->ArgNames({"batch", "backward", "threads"})->Apply(batch_arguments)->UseRealTime();

BENCHMARK_MAIN();
