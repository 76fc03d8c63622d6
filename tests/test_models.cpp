// The three failure classifiers: Keras parameter counts, shapes, summary and gradients.
#include <sstream>

#include <doctest/doctest.h>

#include "gradient_check.hpp"
#include "tsdl/models.hpp"

using namespace tsdl;

namespace {

std::vector<Index> layer_parameter_counts(Sequential<float>& model) {
  std::vector<Index> counts;
  for (std::size_t i = 0; i < model.size(); ++i) counts.push_back(model.layer(i).parameter_count());
  return counts;
}

Tensor<double> random_input(const Shape& shape) {
  Tensor<double> x(shape);
  Random rng(21);
  tsdl_test::fill_uniform(x, rng);
  return x;
}

// Randomises every parameter, biases included, so that no unit sits exactly at a ReLU kink.
void randomize_parameters(Sequential<double>& model) {
  Random rng(33);
  for (auto& parameter : model.parameters()) tsdl_test::fill_uniform(*parameter.value, rng, -0.5, 0.5);
}

}  // namespace

TEST_CASE("CNN parameter counts match Keras") {
  // Keras: Conv1D 64 * 3 * 4 + 64 = 832; Conv1D 64 * 3 * 64 + 64 = 12,352;
  // Dense 832 * 128 + 128 = 106,624; Dense 128 + 1 = 129; total 119,937.
  auto model = models::make_cnn<float>(30, 4);
  CHECK(model.parameter_count() == 119937);
  CHECK(layer_parameter_counts(model) == std::vector<Index>{832, 0, 12352, 0, 0, 0, 106624, 0, 129});
  CHECK(model.layer(0).output_shape() == Shape{28, 64});
  CHECK(model.layer(2).output_shape() == Shape{26, 64});
  CHECK(model.layer(4).output_shape() == Shape{13, 64});
  CHECK(model.layer(5).output_shape() == Shape{832});
  CHECK(model.output_shape() == Shape{1});
}

TEST_CASE("Stacked LSTM parameter counts match Keras") {
  // Keras: 4 * 64 * (4 + 64 + 1) = 17,664; three times 4 * 64 * (64 + 64 + 1) = 33,024; Dense 65.
  auto model = models::make_stacked_lstm<float>(30, 4);
  CHECK(model.parameter_count() == 116801);
  CHECK(layer_parameter_counts(model) == std::vector<Index>{17664, 0, 33024, 0, 33024, 0, 33024, 0, 65});
  CHECK(model.layer(0).output_shape() == Shape{30, 64});
  CHECK(model.layer(6).output_shape() == Shape{64});
}

TEST_CASE("Hybrid parameter counts and shapes match Keras") {
  // 64 * 2 * 1 + 64 = 192; 128 * 2 * 64 + 128 = 16,512; LSTM 4 * 100 * (128 + 100 + 1) = 91,600;
  // Dense 100 + 1 = 101; total 108,405.
  auto model = models::make_hybrid<float>(30, 4);
  CHECK(model.parameter_count() == 108405);
  CHECK(layer_parameter_counts(model) == std::vector<Index>{192, 0, 0, 16512, 0, 0, 91600, 0, 101});
  CHECK(model.layer(0).output_shape() == Shape{30, 3, 64});
  CHECK(model.layer(1).output_shape() == Shape{30, 2, 64});
  CHECK(model.layer(3).output_shape() == Shape{30, 1, 128});
  CHECK(model.layer(4).output_shape() == Shape{30, 128});
  CHECK(model.layer(6).output_shape() == Shape{100});
  CHECK(model.layer(8).output_shape() == Shape{1});
}

TEST_CASE("Summary reads like Keras") {
  auto model = models::make_cnn<float>(30, 4);
  std::ostringstream out;
  model.summary(out);
  const std::string text = out.str();
  CHECK(text.find("conv1d (Conv1D)") != std::string::npos);
  CHECK(text.find("conv1d_1 (Conv1D)") != std::string::npos);
  CHECK(text.find("dropout_2 (Dropout)") != std::string::npos);
  CHECK(text.find("max_pooling1d (MaxPool1D)") != std::string::npos);
  CHECK(text.find("(None, 28, 64)") != std::string::npos);
  CHECK(text.find("106,624") != std::string::npos);
  CHECK(text.find("Total params: 119,937") != std::string::npos);
}

TEST_CASE("CNN model gradients at small size") {
  models::CnnOptions options;
  options.filters = 3;
  options.dense_units = 4;
  auto model = models::make_cnn<double>(8, 2, options, 5);
  randomize_parameters(model);
  tsdl_test::check_gradients(model, random_input({2, 8, 2}));
}

TEST_CASE("Stacked LSTM model gradients at small size") {
  models::StackedLstmOptions options;
  options.units = {3, 2};
  auto model = models::make_stacked_lstm<double>(4, 2, options, 5);
  randomize_parameters(model);
  tsdl_test::check_gradients(model, random_input({2, 4, 2}));
}

TEST_CASE("Hybrid model gradients at small size") {
  models::HybridOptions options;
  options.conv1_filters = 3;
  options.conv2_filters = 4;
  options.lstm_units = 3;
  auto model = models::make_hybrid<double>(3, 4, options, 5);
  randomize_parameters(model);
  tsdl_test::check_gradients(model, random_input({2, 3, 4, 1}));
}

TEST_CASE("Model gradients in training mode with frozen dropout") {
  models::CnnOptions options;
  options.filters = 2;
  options.dense_units = 3;
  options.dropout = 0.3;
  auto model = models::make_cnn<double>(6, 2, options, 9);
  randomize_parameters(model);
  const Tensor<double> x = random_input({2, 6, 2});
  model.forward(x, true);
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (auto* dropout = dynamic_cast<Dropout<double>*>(&model.layer(i))) dropout->freeze_mask(true);
  }
  tsdl_test::GradientCheckOptions check;
  check.training = true;
  tsdl_test::check_gradients(model, x, check);
}
