// Loss and optimizer updates against closed forms and hand arithmetic.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "tsdl/tsdl.hpp"

using namespace tsdl;

namespace {

struct OneParameter {
  Tensor<double> value{2};
  Tensor<double> gradient{2};
  std::vector<Parameter<double>> list() { return {{"w", &value, &gradient}}; }
};

}  // namespace

TEST_CASE("Adam constant gradient closed form") {
  // With a constant gradient g, m_t = (1 - beta1^t) g and v_t = (1 - beta2^t) g^2, so the bias-corrected
  // m_hat = g and v_hat = g^2 at every step, and each step moves w by -lr * g / (|g| + epsilon).
  OneParameter p;
  p.value[0] = 1.0;
  p.value[1] = -2.0;
  p.gradient[0] = 0.5;
  p.gradient[1] = -4.0;
  Adam<double> adam(1e-3);
  for (int step = 0; step < 3; ++step) adam.step(p.list());
  CHECK(adam.iterations() == 3);
  CHECK(p.value[0] == doctest::Approx(1.0 - 3 * 1e-3 * 0.5 / (0.5 + 1e-7)).epsilon(1e-14));
  CHECK(p.value[1] == doctest::Approx(-2.0 + 3 * 1e-3 * 4.0 / (4.0 + 1e-7)).epsilon(1e-14));
}

TEST_CASE("Adam three varying gradients") {
  // Reference from Algorithm 1 of Kingma and Ba, computed in Python:
  //   b1, b2, eps, lr = 0.9, 0.999, 1e-7, 1e-3; w = [1.0, -2.0]; m = v = [0, 0]
  //   for t, g in enumerate([[0.5, -3.0], [-1.0, 0.25], [2.0, 4.0]], 1):
  //     m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2
  //     w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
  //   -> w = [0.9989464480940498, -1.998623217047434]
  OneParameter p;
  p.value[0] = 1.0;
  p.value[1] = -2.0;
  Adam<double> adam;
  const double gradients[3][2] = {{0.5, -3.0}, {-1.0, 0.25}, {2.0, 4.0}};
  for (const auto& g : gradients) {
    p.gradient[0] = g[0];
    p.gradient[1] = g[1];
    adam.step(p.list());
  }
  CHECK(p.value[0] == doctest::Approx(0.9989464480940498).epsilon(1e-13));
  CHECK(p.value[1] == doctest::Approx(-1.998623217047434).epsilon(1e-13));
}

TEST_CASE("SGD with momentum") {
  // lr 0.1, momentum 0.9, gradient 1 each step: velocity -0.1, then -0.19, so w = 1 - 0.1 - 0.19 = 0.71.
  OneParameter p;
  p.value.fill(1.0);
  p.gradient.fill(1.0);
  SGD<double> sgd(0.1, 0.9);
  sgd.step(p.list());
  CHECK(p.value[0] == doctest::Approx(0.9));
  sgd.step(p.list());
  CHECK(p.value[0] == doctest::Approx(0.71));
}

TEST_CASE("Clipping by global norm") {
  // Gradients (3, 4) have norm 5; clipnorm 1 scales them to (0.6, 0.8), so plain SGD with lr 1 moves
  // w from (0, 0) to (-0.6, -0.8).
  OneParameter p;
  p.value.set_zero();
  p.gradient[0] = 3.0;
  p.gradient[1] = 4.0;
  SGD<double> sgd(1.0);
  sgd.set_clipnorm(1.0);
  sgd.step(p.list());
  CHECK(p.value[0] == doctest::Approx(-0.6));
  CHECK(p.value[1] == doctest::Approx(-0.8));
}

TEST_CASE("Binary cross-entropy from logits") {
  BinaryCrossEntropy loss;
  Tensor<double> logits({4, 1});
  logits[0] = 0.0;
  logits[1] = 2.0;
  logits[2] = -800.0;
  logits[3] = 40.0;
  const double targets[4] = {1.0, 0.0, 1.0, 1.0};
  Tensor<double> dlogits;
  const double mean = loss.forward_backward(logits, targets, static_cast<const double*>(nullptr), dlogits);

  // Per sample: -log(sigmoid(0)) = ln 2; -log(1 - sigmoid(2)) = 2 + ln(1 + e^-2); at z = -800 with y = 1
  // the loss is 800 + ln(1 + e^-800) = 800; at z = 40 with y = 1 it is ln(1 + e^-40) ~ 4.25e-18.
  const double expected = (std::log(2.0) + 2.0 + std::log1p(std::exp(-2.0)) + 800.0 + std::log1p(std::exp(-40.0))) / 4;
  CHECK(mean == doctest::Approx(expected).epsilon(1e-14));
  CHECK(std::isfinite(mean));

  // dloss/dz = (p - y) / batch.
  CHECK(dlogits[0] == doctest::Approx((0.5 - 1.0) / 4));
  CHECK(dlogits[1] == doctest::Approx((1.0 / (1.0 + std::exp(-2.0))) / 4));
  CHECK(dlogits[2] == doctest::Approx(-1.0 / 4));
  CHECK(std::isfinite(dlogits[3]));
  CHECK(std::abs(dlogits[3]) < 1e-17);
}

TEST_CASE("Binary cross-entropy saturated float logits") {
  BinaryCrossEntropy loss;
  Tensor<float> logits({2});
  logits[0] = 800.0f;
  logits[1] = -40.0f;
  const float targets[2] = {0.0f, 0.0f};
  Tensor<float> dlogits;
  const double mean = loss.forward_backward(logits, targets, static_cast<const float*>(nullptr), dlogits);
  // z = 800, y = 0: loss = 800; z = -40, y = 0: loss = ln(1 + e^-40). Mean = 400 + tiny.
  CHECK(mean == doctest::Approx(400.0));
  CHECK(dlogits[0] == doctest::Approx(0.5f));
  CHECK(std::isfinite(dlogits[1]));
}

TEST_CASE("Binary cross-entropy weights") {
  // pos_weight 3 triples the loss and gradient of positive samples only.
  BinaryCrossEntropy plain, weighted(3.0);
  Tensor<double> logits({2});
  logits[0] = 0.3;
  logits[1] = -0.2;
  const double targets[2] = {1.0, 0.0};
  Tensor<double> d_plain, d_weighted;
  plain.forward_backward(logits, targets, static_cast<const double*>(nullptr), d_plain);
  weighted.forward_backward(logits, targets, static_cast<const double*>(nullptr), d_weighted);
  CHECK(d_weighted[0] == doctest::Approx(3.0 * d_plain[0]));
  CHECK(d_weighted[1] == doctest::Approx(d_plain[1]));
  CHECK_THROWS_AS(BinaryCrossEntropy(0.0), std::invalid_argument);
}

TEST_CASE("Learning rate setter rejects bad values") {
  Adam<double> adam;
  CHECK_THROWS_WITH_AS(adam.set_learning_rate(0.0), doctest::Contains("must be positive and finite, got 0"),
                       std::invalid_argument);
  CHECK_THROWS_AS(adam.set_learning_rate(-1e-3), std::invalid_argument);
  CHECK_THROWS_AS(adam.set_learning_rate(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  adam.set_learning_rate(5e-4);
  CHECK(adam.learning_rate() == 5e-4);
}
