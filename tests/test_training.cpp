// Sequential training: learning a small sequence task, reproducibility and fit() input checks.
#include <cmath>
#include <limits>
#include <sstream>

#include <doctest/doctest.h>

#include "tsdl/tsdl.hpp"

using namespace tsdl;

namespace {

// "Does this series contain a spike?": length-16 series of N(0, 0.3) noise; half of them get +3 added
// at one random step. Labels are 1 for the series with a spike.
void make_spike_task(Index count, std::uint64_t seed, Tensor<float>& x, Tensor<float>& y) {
  const Index length = 16;
  Random rng(seed);
  x.resize({count, length, 1});
  y.resize({count, 1});
  for (Index i = 0; i < count; ++i) {
    for (Index t = 0; t < length; ++t) x.at(i, t, 0) = static_cast<float>(rng.normal(0.0, 0.3));
    const bool spike = i % 2 == 0;
    if (spike) x.at(i, static_cast<Index>(rng.uniform_index(length)), 0) += 3.0f;
    y[i] = spike ? 1.0f : 0.0f;
  }
}

double train_and_score(Sequential<float>& model, int epochs) {
  Tensor<float> x_train, y_train, x_test, y_test;
  make_spike_task(512, 1, x_train, y_train);
  make_spike_task(256, 2, x_test, y_test);
  model.build({16, 1}, 42);
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>(1e-2));
  FitOptions options;
  options.epochs = epochs;
  options.batch_size = 32;
  options.seed = 3;
  model.fit(x_train, y_train, options);
  return model.evaluate(x_test, y_test).accuracy;
}

}  // namespace

TEST_CASE("Dense model learns the spike task") {
  Sequential<float> model;
  model.add(Flatten<float>());
  model.add(Dense<float>(16, "relu"));
  model.add(Dense<float>(1, "sigmoid"));
  CHECK(train_and_score(model, 30) >= 0.99);
}

TEST_CASE("Conv1D model learns the spike task") {
  Sequential<float> model;
  model.add(Conv1D<float>(8, 3, 1, "same", "relu"));
  model.add(MaxPool1D<float>(16));
  model.add(Flatten<float>());
  model.add(Dense<float>(1, "sigmoid"));
  CHECK(train_and_score(model, 20) >= 0.99);
}

TEST_CASE("LSTM model learns the spike task") {
  Sequential<float> model;
  model.add(LSTM<float>(8));
  model.add(Dense<float>(1, "sigmoid"));
  CHECK(train_and_score(model, 20) >= 0.99);
}

TEST_CASE("Same seed gives identical weights and history") {
  auto train = [](std::vector<float>& weights, History& history) {
    Sequential<float> model;
    model.add(Conv1D<float>(4, 3, 1, "valid", "relu"));
    model.add(Dropout<float>(0.2));
    model.add(LSTM<float>(5));
    model.add(Dense<float>(1, "sigmoid"));
    model.build({16, 1}, 7);
    model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
    Tensor<float> x, y;
    make_spike_task(100, 5, x, y);
    FitOptions options;
    options.epochs = 3;
    options.batch_size = 16;
    options.seed = 11;
    options.validation_split = 0.2;
    history = model.fit(x, y, options);
    for (auto& parameter : model.parameters()) {
      weights.insert(weights.end(), parameter.value->data(), parameter.value->data() + parameter.value->size());
    }
  };
  std::vector<float> first_weights, second_weights;
  History first_history, second_history;
  train(first_weights, first_history);
  train(second_weights, second_history);
  CHECK(first_weights == second_weights);
  CHECK(first_history.loss == second_history.loss);
  CHECK(first_history.val_loss == second_history.val_loss);
  CHECK(first_history.val_loss.size() == 3);
}

TEST_CASE("Fit rejects bad training data") {
  Sequential<float> model;
  model.add(Flatten<float>());
  model.add(Dense<float>(1, "sigmoid"));
  model.build({4, 2});
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
  Tensor<float> x({3, 4, 2});
  x.fill(0.5f);
  Tensor<float> y({3});
  y.fill(1.0f);

  SUBCASE("wrong sample shape") {
    Tensor<float> wrong({3, 2, 4});
    wrong.set_zero();
    CHECK_THROWS_WITH_AS(model.fit(wrong, y),
                         "Sequential: expected training x of shape (samples, 4, 2), got (3, 2, 4)",
                         std::invalid_argument);
  }
  SUBCASE("target count") {
    Tensor<float> short_y({2});
    short_y.fill(0.0f);
    CHECK_THROWS_WITH_AS(model.fit(x, short_y), doctest::Contains("training y has 2 values for 3 samples"),
                         std::invalid_argument);
  }
  SUBCASE("target not 0/1") {
    y[1] = 0.5f;
    CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("y[1] = 0.500000 is not a 0/1 target"),
                         std::invalid_argument);
  }
  SUBCASE("NaN input names the sample") {
    x.at(2, 1, 0) = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("contains nan in sample 2"), std::invalid_argument);
  }
  SUBCASE("batch size") {
    FitOptions options;
    options.batch_size = 0;
    CHECK_THROWS_WITH_AS(model.fit(x, y, options), doctest::Contains("batch_size must be positive, got 0"),
                         std::invalid_argument);
  }
}

TEST_CASE("Fit stops on a non-finite loss") {
  Sequential<float> model;
  model.add(Dense<float>(1, "sigmoid"));
  model.build({2});
  model.compile(BinaryCrossEntropy(), std::make_unique<SGD<float>>(0.1));
  auto parameters = model.parameters();
  parameters[0].value->fill(1e30f);
  Tensor<float> x({4, 2});
  x.fill(3e38f);  // finite, but x W overflows to infinity in float
  x[1] = -3e38f;  // so that one logit is inf - inf = NaN
  Tensor<float> y({4});
  y.fill(0.0f);
  CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("at epoch 1, batch 1"), std::runtime_error);

  FitOptions options;
  options.continue_on_nonfinite_loss = true;
  History history = model.fit(x, y, options);
  CHECK(!std::isfinite(history.loss.at(0)));
}

TEST_CASE("Compile requires a final sigmoid") {
  Sequential<float> model;
  model.add(Dense<float>(1));
  model.build({3});
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
  Tensor<float> x({2, 3});
  x.set_zero();
  Tensor<float> y({2});
  y.set_zero();
  CHECK_THROWS_WITH_AS(model.fit(x, y), doctest::Contains("needs a last layer that ends with a sigmoid"),
                       std::logic_error);
}

TEST_CASE("Predict matches forward and keeps order") {
  Sequential<float> model;
  model.add(LSTM<float>(3));
  model.add(Dense<float>(1, "sigmoid"));
  model.build({5, 2}, 1);
  Tensor<float> x({7, 5, 2});
  Random rng(4);
  for (Index i = 0; i < x.size(); ++i) x[i] = static_cast<float>(rng.normal());
  const Tensor<float> batched = model.predict(x, 3);
  const Tensor<float> whole = model.forward(x, false);
  REQUIRE(batched.shape() == Shape{7, 1});
  for (Index i = 0; i < 7; ++i) CHECK(batched[i] == doctest::Approx(whole[i]).epsilon(1e-6));
}

TEST_CASE("Verbose fit prints one line per epoch") {
  Sequential<float> model;
  model.add(Dense<float>(1, "sigmoid"));
  model.build({2});
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
  Tensor<float> x({4, 2});
  x.fill(1.0f);
  Tensor<float> y({4});
  y.fill(1.0f);
  std::ostringstream log;
  FitOptions options;
  options.epochs = 2;
  options.verbose = 1;
  options.log = &log;
  model.fit(x, y, options);
  const std::string text = log.str();
  CHECK(text.find("Epoch 1/2") != std::string::npos);
  CHECK(text.find("Epoch 2/2") != std::string::npos);
  CHECK(text.find("loss: ") != std::string::npos);
}
