// Finite-difference gradient checks of every layer, in double precision.
#include <doctest/doctest.h>

#include "gradient_check.hpp"
#include "tsdl/tsdl.hpp"

using namespace tsdl;
using tsdl_test::check_gradients;
using tsdl_test::fill_uniform;

namespace {

Tensor<double> random_input(const Shape& shape, std::uint64_t seed = 7) {
  Tensor<double> x(shape);
  Random rng(seed);
  fill_uniform(x, rng);
  return x;
}

// Builds a layer for the sample shape (the input shape without batch).
template <typename L>
void build(L& layer, const Shape& sample_shape, std::uint64_t seed = 3) {
  Random rng(seed);
  layer.build(sample_shape, rng);
}

// Randomises the bias too, so that a zero-initialised bias cannot hide a missing gradient term.
template <typename L>
void randomize_parameters(L& layer, std::uint64_t seed = 11) {
  Random rng(seed);
  for (auto& parameter : layer.parameters()) fill_uniform(*parameter.value, rng, -0.5, 0.5);
}

}  // namespace

TEST_CASE("Dense gradients for each activation") {
  for (const char* activation : {"linear", "relu", "sigmoid", "tanh"}) {
    CAPTURE(activation);
    Dense<double> dense(3, activation);
    build(dense, {2, 4});
    randomize_parameters(dense);
    check_gradients(dense, random_input({2, 2, 4}));
  }
}

TEST_CASE("Conv1D gradients valid stride 1") {
  Conv1D<double> conv(3, 3, 1, "valid", "tanh");
  build(conv, {7, 2});
  randomize_parameters(conv);
  check_gradients(conv, random_input({2, 7, 2}));
}

TEST_CASE("Conv1D gradients stride 2") {
  Conv1D<double> conv(2, 3, 2, "valid", "linear");
  build(conv, {8, 3});
  randomize_parameters(conv);
  check_gradients(conv, random_input({2, 8, 3}));
}

TEST_CASE("Conv1D gradients same padding even kernel") {
  Conv1D<double> conv(3, 4, 1, "same", "sigmoid");
  build(conv, {6, 2});
  CHECK(conv.output_shape() == Shape{6, 3});
  randomize_parameters(conv);
  check_gradients(conv, random_input({2, 6, 2}));
}

TEST_CASE("Conv1D gradients same padding stride 2") {
  Conv1D<double> conv(2, 2, 2, "same", "relu");
  build(conv, {7, 2});
  CHECK(conv.output_shape() == Shape{4, 2});
  randomize_parameters(conv);
  check_gradients(conv, random_input({3, 7, 2}));
}

TEST_CASE("MaxPool1D gradients on indivisible length") {
  SUBCASE("valid") {
    MaxPool1D<double> pool(2, 2, "valid");
    build(pool, {7, 3});
    CHECK(pool.output_shape() == Shape{3, 3});
    check_gradients(pool, random_input({2, 7, 3}));
  }
  SUBCASE("same") {
    MaxPool1D<double> pool(2, 2, "same");
    build(pool, {7, 3});
    CHECK(pool.output_shape() == Shape{4, 3});
    check_gradients(pool, random_input({2, 7, 3}));
  }
  SUBCASE("pool 3 stride 2 same") {
    MaxPool1D<double> pool(3, 2, "same");
    build(pool, {8, 2});
    CHECK(pool.output_shape() == Shape{4, 2});
    check_gradients(pool, random_input({2, 8, 2}));
  }
}

TEST_CASE("LSTM gradients over several time steps") {
  for (bool return_sequences : {false, true}) {
    CAPTURE(return_sequences);
    LSTM<double> lstm(3, return_sequences);
    build(lstm, {4, 2});
    randomize_parameters(lstm);
    check_gradients(lstm, random_input({2, 4, 2}));
  }
}

TEST_CASE("LSTM gradients across batch chunks") {
  // 40 samples run as two chunks of the parallel recurrence (32 and 8 samples).
  for (bool return_sequences : {false, true}) {
    CAPTURE(return_sequences);
    LSTM<double> lstm(2, return_sequences);
    build(lstm, {3, 2});
    randomize_parameters(lstm);
    check_gradients(lstm, random_input({40, 3, 2}));
  }
}

TEST_CASE("LSTM pytorch initializer ranges") {
  // U(-1/sqrt(units), 1/sqrt(units)) for the weights and the sum of two such draws for the bias.
  LSTM<double> lstm(16, false, LstmInitializer::pytorch);
  build(lstm, {5, 3});
  auto parameters = lstm.parameters();
  const double limit = 0.25;
  CHECK(parameters[0].value->array().abs().maxCoeff() <= limit);
  CHECK(parameters[1].value->array().abs().maxCoeff() <= limit);
  CHECK(parameters[2].value->array().abs().maxCoeff() <= 2 * limit);
  CHECK(parameters[2].value->array().abs().maxCoeff() > limit / 2);
}

TEST_CASE("Dropout gradients with frozen mask") {
  Dropout<double> dropout(0.4);
  build(dropout, {5, 3});
  Tensor<double> x = random_input({2, 5, 3});
  dropout.forward(x, true);
  dropout.freeze_mask(true);
  tsdl_test::GradientCheckOptions options;
  options.training = true;
  check_gradients(dropout, x, options);
}

TEST_CASE("Flatten and Activation gradients") {
  Flatten<double> flatten;
  build(flatten, {3, 2, 2});
  CHECK(flatten.output_shape() == Shape{12});
  check_gradients(flatten, random_input({2, 3, 2, 2}));

  for (const char* kind : {"relu", "sigmoid", "tanh", "linear"}) {
    CAPTURE(kind);
    Activation<double> activation(kind);
    build(activation, {3, 2});
    check_gradients(activation, random_input({2, 3, 2}));
  }
}

TEST_CASE("TimeDistributed gradients with Conv1D and MaxPool1D") {
  SUBCASE("Conv1D") {
    TimeDistributed<double> distributed(Conv1D<double>(3, 2, 1, "valid", "relu"));
    build(distributed, {3, 4, 2});
    CHECK(distributed.output_shape() == Shape{3, 3, 3});
    randomize_parameters(distributed);
    check_gradients(distributed, random_input({2, 3, 4, 2}));
  }
  SUBCASE("MaxPool1D") {
    TimeDistributed<double> distributed(MaxPool1D<double>(2, 1, "valid"));
    build(distributed, {3, 4, 2});
    check_gradients(distributed, random_input({2, 3, 4, 2}));
  }
  SUBCASE("Dense on rank 3") {
    TimeDistributed<double> distributed(Dense<double>(2, "tanh"));
    build(distributed, {4, 3});
    randomize_parameters(distributed);
    check_gradients(distributed, random_input({2, 4, 3}));
  }
}
