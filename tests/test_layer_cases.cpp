// Worked examples of layer behaviour, with expected values derived by hand in the comments.
#include <cmath>

#include <doctest/doctest.h>

#include "tsdl/tsdl.hpp"

using namespace tsdl;

namespace {

template <typename L>
void build(L& layer, const Shape& sample_shape) {
  Random rng(1);
  layer.build(sample_shape, rng);
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

TEST_CASE_TEMPLATE("Conv1D does not flip its kernel", T, float, double) {
  // x = [1, 2, 3], kernel = [1, 0]. Cross-correlation gives y[t] = x[t] * 1 + x[t + 1] * 0 = [1, 2];
  // a flipped (true) convolution would give [2, 3].
  Conv1D<T> conv(1, 2);
  build(conv, {3, 1});
  auto parameters = conv.parameters();
  (*parameters[0].value)[0] = T(1);
  (*parameters[0].value)[1] = T(0);
  parameters[1].value->set_zero();

  Tensor<T> x({1, 3, 1});
  x[0] = 1;
  x[1] = 2;
  x[2] = 3;
  const Tensor<T>& y = conv.forward(x, false);
  REQUIRE(y.shape() == Shape{1, 2, 1});
  CHECK(y[0] == doctest::Approx(1.0));
  CHECK(y[1] == doctest::Approx(2.0));
}

TEST_CASE("Conv1D channels and filters layout") {
  // Two channels, two filters, kernel_size 1: y[t, f] = sum_c x[t, c] * kernel[0, c, f] + bias[f].
  // kernel[0] = [[1, 2], [3, 4]] (rows are channels), bias = [10, 20], x[0] = [1, 1] -> [14, 26].
  Conv1D<double> conv(2, 1);
  build(conv, {1, 2});
  auto parameters = conv.parameters();
  Tensor<double>& kernel = *parameters[0].value;
  REQUIRE(kernel.shape() == Shape{1, 2, 2});
  kernel.at(0, 0, 0) = 1;
  kernel.at(0, 0, 1) = 2;
  kernel.at(0, 1, 0) = 3;
  kernel.at(0, 1, 1) = 4;
  (*parameters[1].value)[0] = 10;
  (*parameters[1].value)[1] = 20;
  Tensor<double> x({1, 1, 2});
  x.fill(1.0);
  const Tensor<double>& y = conv.forward(x, false);
  CHECK(y[0] == doctest::Approx(14.0));
  CHECK(y[1] == doctest::Approx(26.0));
}

TEST_CASE_TEMPLATE("MaxPool1D ties send the gradient to the first maximum", T, float, double) {
  // x = [5, 5, 1, 1] with pool 2: y = [5, 1], and dY = [1, 1] reaches only x[0] and x[2].
  MaxPool1D<T> pool(2);
  build(pool, {4, 1});
  Tensor<T> x({1, 4, 1});
  x[0] = 5;
  x[1] = 5;
  x[2] = 1;
  x[3] = 1;
  const Tensor<T>& y = pool.forward(x, false);
  REQUIRE(y.size() == 2);
  CHECK(y[0] == T(5));
  CHECK(y[1] == T(1));

  Tensor<T> dY({1, 2, 1});
  dY.fill(T(1));
  const Tensor<T>& dX = pool.backward(dY);
  CHECK(dX[0] == T(1));
  CHECK(dX[1] == T(0));
  CHECK(dX[2] == T(1));
  CHECK(dX[3] == T(0));
}

TEST_CASE("MaxPool1D same padding never picks the pad") {
  // All inputs negative: a zero pad would win if it took part. Length 3, pool 2, same padding:
  // output length ceil(3 / 2) = 2, total padding (2 - 1) * 2 + 2 - 3 = 1, all on the right.
  MaxPool1D<double> pool(2, 2, "same");
  build(pool, {3, 1});
  Tensor<double> x({1, 3, 1});
  x[0] = -3;
  x[1] = -1;
  x[2] = -2;
  const Tensor<double>& y = pool.forward(x, false);
  REQUIRE(y.size() == 2);
  CHECK(y[0] == -1.0);
  CHECK(y[1] == -2.0);
}

TEST_CASE_TEMPLATE("Dropout keeps 1 - rate and scales", T, float, double) {
  const double rate = 0.3;
  Dropout<T> dropout(rate);
  build(dropout, {1000});
  Tensor<T> x({100, 1000});
  x.fill(T(1));

  const Tensor<T> y = dropout.forward(x, true);
  Index kept = 0, wrongly_scaled = 0;
  const T scale = static_cast<T>(1.0 / (1.0 - rate));
  for (Index i = 0; i < y.size(); ++i) {
    if (y[i] != T(0)) {
      ++kept;
      if (y[i] != scale) ++wrongly_scaled;
    }
  }
  CHECK(wrongly_scaled == 0);
  // 100,000 Bernoulli(0.7) draws: standard deviation of the kept fraction is sqrt(0.21 / 1e5) = 0.0014.
  const double kept_fraction = static_cast<double>(kept) / static_cast<double>(y.size());
  CHECK(kept_fraction == doctest::Approx(1.0 - rate).epsilon(0.01));

  // Backward uses the forward pass's mask and scale: with x = 1 and dY = 1, dX equals y.
  Tensor<T> dY(x.shape());
  dY.fill(T(1));
  const Tensor<T>& dX = dropout.backward(dY);
  for (Index i = 0; i < y.size(); i += 997) CHECK(dX[i] == y[i]);

  // Inference is the identity, and so is its backward pass.
  const Tensor<T>& identity = dropout.forward(x, false);
  CHECK((identity.array() == T(1)).all());
  CHECK((dropout.backward(dY).array() == T(1)).all());
}

TEST_CASE("LSTM one step returns the hidden state") {
  // units 1, features 1, kernel and recurrent kernel zero, bias (i, f, c, o) = (0, 0, 1, 2):
  //   i = sigmoid(0) = 0.5, g = tanh(1), c = f * 0 + i * g = 0.5 tanh(1) = 0.380797,
  //   o = sigmoid(2) = 0.880797, h = o * tanh(c) = 0.880797 * 0.363399 = 0.320081.
  LSTM<double> lstm(1);
  build(lstm, {1, 1});
  auto parameters = lstm.parameters();
  parameters[0].value->set_zero();
  parameters[1].value->set_zero();
  Tensor<double>& bias = *parameters[2].value;
  bias[0] = 0;
  bias[1] = 0;
  bias[2] = 1;
  bias[3] = 2;

  Tensor<double> x({1, 1, 1});
  x[0] = 0.7;
  const Tensor<double>& h = lstm.forward(x, false);
  const double c = 0.5 * std::tanh(1.0);
  const double expected = sigmoid(2.0) * std::tanh(c);
  CHECK(h[0] == doctest::Approx(expected).epsilon(1e-12));
  CHECK(h[0] == doctest::Approx(0.320081).epsilon(1e-5));
  CHECK(h[0] != doctest::Approx(sigmoid(2.0)));  // not the output gate
}

TEST_CASE("LSTM two steps through the cell path") {
  // Only the cell candidate reads x (kernel[0, c] = 1); gates are constant from their biases
  // (i, f, c, o) = (0, ln 3, 0, 0), so i = 0.5, f = sigmoid(ln 3) = 0.75, o = 0.5. For x = (1, 2):
  //   c_0 = 0.5 tanh(1),  c_1 = 0.75 c_0 + 0.5 tanh(2),  h_1 = 0.5 tanh(c_1).
  // The recurrent kernel is zero, so h_0 does not feed back.
  LSTM<double> lstm(1);
  build(lstm, {2, 1});
  auto parameters = lstm.parameters();
  Tensor<double>& kernel = *parameters[0].value;
  kernel.set_zero();
  kernel[2] = 1.0;
  parameters[1].value->set_zero();
  Tensor<double>& bias = *parameters[2].value;
  bias.set_zero();
  bias[1] = std::log(3.0);

  Tensor<double> x({1, 2, 1});
  x[0] = 1.0;
  x[1] = 2.0;
  const double c0 = 0.5 * std::tanh(1.0);
  const double c1 = 0.75 * c0 + 0.5 * std::tanh(2.0);
  CHECK(lstm.forward(x, false)[0] == doctest::Approx(0.5 * std::tanh(c1)).epsilon(1e-12));
}

TEST_CASE("LSTM default initialisation follows Keras") {
  LSTM<double> lstm(3);
  build(lstm, {5, 2});
  auto parameters = lstm.parameters();
  REQUIRE(parameters.size() == 3);
  CHECK(parameters[0].value->shape() == Shape{2, 12});
  CHECK(parameters[1].value->shape() == Shape{3, 12});
  CHECK(parameters[2].value->shape() == Shape{12});

  // unit_forget_bias: the forget-gate block of the bias (columns 3..5) is 1, the rest 0.
  const Tensor<double>& bias = *parameters[2].value;
  for (Index j = 0; j < 12; ++j) CHECK(bias[j] == (j >= 3 && j < 6 ? 1.0 : 0.0));

  // The recurrent kernel (3, 12) has orthonormal rows: R R^T = I.
  const auto r = parameters[1].value->matrix();
  const Eigen::MatrixXd gram = r * r.transpose();
  CHECK(gram.isApprox(Eigen::MatrixXd::Identity(3, 3), 1e-10));

  // Glorot-uniform kernel: |w| <= sqrt(6 / (2 + 12)).
  CHECK(parameters[0].value->array().abs().maxCoeff() <= std::sqrt(6.0 / 14.0));
}

TEST_CASE("LSTM PyTorch initialisation bounds") {
  // PyTorch's nn.LSTM draws every weight and both of its biases from U(-k, k) with
  // k = 1 / sqrt(units); the layer stores the two biases as their sum, so |bias| <= 2k.
  const Index units = 16;
  LSTM<double> lstm(units, false, LstmInitializer::pytorch);
  build(lstm, {5, 3});
  auto parameters = lstm.parameters();
  const double k = 1.0 / std::sqrt(static_cast<double>(units));

  const Tensor<double>& kernel = *parameters[0].value;
  const Tensor<double>& recurrent_kernel = *parameters[1].value;
  const Tensor<double>& bias = *parameters[2].value;
  CHECK(kernel.array().abs().maxCoeff() <= k);
  CHECK(recurrent_kernel.array().abs().maxCoeff() <= k);
  CHECK(bias.array().abs().maxCoeff() <= 2.0 * k);

  // The draws spread over the interval: with 4 * 16 * 19 = 1,216 weights, a maximum below k / 2
  // or a mean away from 0 would mean a wrong limit or a biased draw.
  CHECK(kernel.array().abs().maxCoeff() > k / 2.0);
  CHECK(recurrent_kernel.array().abs().maxCoeff() > k / 2.0);
  CHECK(std::abs(recurrent_kernel.array().mean()) < k / 4.0);
  // The bias is a sum of two draws: over 64 values its maximum exceeds one draw's limit k unless
  // only one draw was taken (the chance of a false failure is below 1e-8).
  CHECK(bias.array().abs().maxCoeff() > k);
}

TEST_CASE("Layer arguments are validated") {
  CHECK_THROWS_WITH_AS(Dense<float>(0), "Dense: units must be positive, got 0", std::invalid_argument);
  CHECK_THROWS_WITH_AS(LSTM<float>(-1), "LSTM: units must be positive, got -1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(Dropout<float>(1.0), doctest::Contains("rate must be in [0, 1)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Dropout<float>(-0.1), doctest::Contains("got -0.1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Conv1D<float>(4, 3, 1, "full"), doctest::Contains("unknown padding 'full'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Dense<float>(4, "softplus"), doctest::Contains("unknown activation 'softplus'"),
                       std::invalid_argument);
  CHECK_THROWS_AS(MaxPool1D<float>(0), std::invalid_argument);
}

TEST_CASE("Shape errors name the layer and both shapes") {
  Sequential<float> model;
  model.add(Conv1D<float>(8, 5));
  CHECK_THROWS_WITH_AS(model.build({3, 2}),
                       doctest::Contains("Conv1D 'conv1d': kernel_size 5 is longer than the input's 3 steps"),
                       std::invalid_argument);

  Sequential<float> lstm_model;
  lstm_model.add(LSTM<float>(4));
  CHECK_THROWS_WITH_AS(lstm_model.build({10}),
                       "LSTM 'lstm': expected input of shape (batch, time, features), got (batch, 10)",
                       std::invalid_argument);

  Dense<float> dense(2);
  Random rng(0);
  dense.build({3}, rng);
  Tensor<float> wrong({4, 5});
  wrong.set_zero();
  CHECK_THROWS_WITH_AS(dense.forward(wrong, false), "Dense: expected input of shape (batch, 3), got (4, 5)",
                       std::invalid_argument);
}
