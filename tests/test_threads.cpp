// Training with 1 and with 2 threads gives bit-identical weights and losses.
//
// Every parallel loop in tsdl gives each output element to one thread, which sums it in a fixed
// order: matrix products are split into blocks chosen from the shapes (parallel_product.hpp), the
// LSTM runs fixed 32-sample chunks, and dropout masks come from one serial stream. This test checks
// that claim on the three full-size models.
#include <omp.h>

#include <doctest/doctest.h>

#include "tsdl/models.hpp"

using namespace tsdl;

namespace {

struct TrainingRun {
  std::vector<float> weights;
  std::vector<double> losses;
};

// Trains `model` for 2 epochs on 256 random sequences (batch 64) with `threads` threads.
TrainingRun train_with_threads(Sequential<float> model, const Shape& sample_shape, int threads) {
  omp_set_num_threads(threads);
  Eigen::setNbThreads(threads);

  Shape shape = sample_shape;
  shape.insert(shape.begin(), 256);
  Tensor<float> x(shape), y({256, 1});
  Random rng(99);
  for (Index i = 0; i < x.size(); ++i) x[i] = static_cast<float>(rng.uniform());
  for (Index i = 0; i < 256; ++i) y[i] = i % 5 == 0 ? 1.0f : 0.0f;

  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>(1e-3));
  FitOptions options;
  options.epochs = 2;
  options.batch_size = 64;
  options.seed = 4;
  const History history = model.fit(x, y, options);

  TrainingRun run;
  run.losses = history.loss;
  for (auto& parameter : model.parameters()) {
    run.weights.insert(run.weights.end(), parameter.value->data(), parameter.value->data() + parameter.value->size());
  }
  omp_set_num_threads(1);
  Eigen::setNbThreads(1);
  return run;
}

void check_thread_independence(const std::function<Sequential<float>()>& make, const Shape& sample_shape) {
  const TrainingRun one = train_with_threads(make(), sample_shape, 1);
  const TrainingRun two = train_with_threads(make(), sample_shape, 2);
  REQUIRE(one.weights.size() == two.weights.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < one.weights.size(); ++i) differing += one.weights[i] != two.weights[i] ? 1 : 0;
  CHECK(differing == 0);
  CHECK(one.losses == two.losses);
}

}  // namespace

TEST_CASE("CNN weights independent of threads") {
  check_thread_independence([] { return models::make_cnn<float>(30, 4, {}, 1); }, {30, 4});
}

TEST_CASE("Stacked LSTM weights independent of threads") {
  check_thread_independence([] { return models::make_stacked_lstm<float>(30, 4, {}, 1); }, {30, 4});
}

TEST_CASE("Hybrid weights independent of threads") {
  check_thread_independence([] { return models::make_hybrid<float>(30, 4, {}, 1); }, {30, 4, 1});
}
