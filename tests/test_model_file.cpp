// Model files: round trips of the three classifiers, architecture, scoring configuration,
// optimizer state, float/double conversion, load_weights_into and the CRC-32C implementation.
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "tsdl/models.hpp"
#include "tsdl/serialization.hpp"
#include "tsdl/serialization/scaler_config.hpp"

using namespace tsdl;
namespace fs = std::filesystem;

namespace {

using tsdl_test::TempDir;

template <typename T>
Tensor<T> random_tensor(const Shape& shape, std::uint64_t seed) {
  Tensor<T> tensor(shape);
  Random rng(seed);
  for (Index i = 0; i < tensor.size(); ++i) tensor[i] = static_cast<T>(rng.uniform(-1.0, 1.0));
  return tensor;
}

// Batch of `samples` inputs for `model`.
template <typename T>
Tensor<T> random_input(const Sequential<T>& model, Index samples, std::uint64_t seed) {
  Shape shape = model.input_shape();
  shape.insert(shape.begin(), samples);
  return random_tensor<T>(shape, seed);
}

// Overwrites every weight, so that a loader which kept its own initial weights would be caught.
template <typename T>
void randomize_weights(Sequential<T>& model, std::uint64_t seed) {
  Random rng(seed);
  for (auto& parameter : model.parameters()) {
    for (Index i = 0; i < parameter.value->size(); ++i) (*parameter.value)[i] = static_cast<T>(rng.uniform(-0.3, 0.3));
  }
}

template <typename T>
std::vector<Tensor<T>> copy_weights(Sequential<T>& model) {
  std::vector<Tensor<T>> copies;
  for (auto& parameter : model.parameters()) copies.push_back(*parameter.value);
  return copies;
}

// Returns the number of elements that differ in value or shape; 0 means bit-identical for finite values.
template <typename T>
Index count_differences(const std::vector<Tensor<T>>& a, const std::vector<Tensor<T>>& b) {
  if (a.size() != b.size()) return -1;
  Index differences = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k].shape() != b[k].shape()) return -1;
    for (Index i = 0; i < a[k].size(); ++i) differences += a[k][i] == b[k][i] ? 0 : 1;
  }
  return differences;
}

template <typename T>
Index count_differences(const Tensor<T>& a, const Tensor<T>& b) {
  return count_differences(std::vector<Tensor<T>>{a}, std::vector<Tensor<T>>{b});
}

// Saves `model`, loads it with the same scalar type and checks architecture, weights and predictions.
template <typename T>
void check_round_trip(Sequential<T>& model, const fs::path& path) {
  const Tensor<T> x = random_input(model, 7, 99);
  const Tensor<T> expected = model.predict(x);

  save_model(model, path);
  LoadedModel<T> loaded = load_model<T>(path);

  CHECK_FALSE(loaded.has_optimizer);
  CHECK(loaded.stored_weight_type == (std::is_same_v<T, float> ? WeightType::float32 : WeightType::float64));
  REQUIRE(loaded.model.size() == model.size());
  CHECK(loaded.model.input_shape() == model.input_shape());
  for (std::size_t i = 0; i < model.size(); ++i) {
    const serialization::LayerSpec original = serialization::describe_layer(model.layer(i));
    const serialization::LayerSpec restored = serialization::describe_layer(loaded.model.layer(i));
    INFO("layer " << i << ": " << serialization::to_string(original));
    CHECK(original.same_architecture(restored));
    CHECK(original.name == restored.name);
    CHECK(loaded.model.layer(i).output_shape() == model.layer(i).output_shape());
  }
  CHECK(count_differences(copy_weights(loaded.model), copy_weights(model)) == 0);

  const Tensor<T> actual = loaded.model.predict(x);
  REQUIRE(actual.shape() == expected.shape());
  CHECK(count_differences(actual, expected) == 0);
}

// Sequential model with every layer type, TimeDistributed included, on input (8, 6, 1).
template <typename T>
Sequential<T> make_all_layers_model(std::uint64_t seed) {
  Sequential<T> model;
  auto& encoder = model.add(TimeDistributed<T>(Conv1D<T>(4, 2, 1, Padding::same, ActivationKind::tanh)));
  encoder.set_name("encoder");
  model.add(TimeDistributed<T>(MaxPool1D<T>(2, 1, Padding::valid)));
  model.add(TimeDistributed<T>(Flatten<T>()));
  model.add(Activation<T>(ActivationKind::tanh));
  model.add(LSTM<T>(5, /*return_sequences=*/true));
  model.add(Conv1D<T>(3, 3, 2, Padding::valid, ActivationKind::relu));
  model.add(MaxPool1D<T>(2, 2, Padding::same));
  model.add(Dropout<T>(0.25));
  model.add(Flatten<T>());
  model.add(Dense<T>(4, ActivationKind::tanh));
  model.add(Activation<T>(ActivationKind::relu));
  model.add(Dense<T>(1, ActivationKind::sigmoid));
  model.build({8, 6, 1}, seed);
  return model;
}

ScoringConfig make_full_config() {
  ScoringConfig config;
  config.feature_names = {"volt", "rotate", "pressure", "vibration"};
  config.scaler_kind = "standard";
  config.scaler_offset = {170.777, 446.605, 100.858, 40.385};
  config.scaler_scale = {15.509, 52.673, 11.048, 5.370};
  config.window_width = 6;
  config.window_step = 3;
  config.seq_len = 40;
  config.horizon_hours = 48;
  config.threshold = 0.37;
  config.model_kind = "hybrid";
  config.metadata = {{"training_data", "azure-pdm 2015, machines 1-80"}, {"note", "temp\xC3\xA9rature"}};
  return config;
}

}  // namespace

TEST_CASE("CRC-32C check values") {
  const char* check = "123456789";
  CHECK(serialization::crc32c(check, 9) == 0xE3069283U);
  CHECK(serialization::crc32c("", 0) == 0U);

  // Test vectors of RFC 3720, appendix B.4.
  unsigned char zeros[32] = {};
  unsigned char ones[32];
  unsigned char ascending[32];
  std::memset(ones, 0xFF, sizeof ones);
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<unsigned char>(i);
  CHECK(serialization::crc32c(zeros, 32) == 0x8A9136AAU);
  CHECK(serialization::crc32c(ones, 32) == 0x62A8AB43U);
  CHECK(serialization::crc32c(ascending, 32) == 0x46DD794EU);

  // Extending a finished CRC equals one pass over the joined bytes.
  const std::uint32_t head = serialization::crc32c(check, 4);
  CHECK(serialization::crc32c_extend(head, check + 4, 5) == 0xE3069283U);
}

TEST_CASE_TEMPLATE("Round trip of the CNN", T, float, double) {
  TempDir dir;
  models::CnnOptions options;
  options.filters = 16;
  options.dense_units = 32;
  auto model = models::make_cnn<T>(30, 4, options, /*seed=*/11);
  randomize_weights(model, 12);
  check_round_trip(model, dir / "cnn.tsdl");
}

TEST_CASE_TEMPLATE("Round trip of the stacked LSTM", T, float, double) {
  TempDir dir;
  models::StackedLstmOptions options;
  options.units = {16, 12, 8};
  auto model = models::make_stacked_lstm<T>(30, 4, options, /*seed=*/21);
  randomize_weights(model, 22);
  check_round_trip(model, dir / "lstm.tsdl");
}

TEST_CASE_TEMPLATE("Round trip of the hybrid CNN-LSTM", T, float, double) {
  TempDir dir;
  models::HybridOptions options;
  options.conv1_filters = 8;
  options.conv2_filters = 16;
  options.lstm_units = 12;
  auto model = models::make_hybrid<T>(30, 4, options, /*seed=*/31);
  randomize_weights(model, 32);
  check_round_trip(model, dir / "hybrid.tsdl");
}

TEST_CASE("Round trip of default-size classifiers") {
  TempDir dir;
  auto cnn = models::make_cnn<float>(30, 4, {}, 41);
  check_round_trip(cnn, dir / "cnn.tsdl");
  auto lstm = models::make_stacked_lstm<float>(30, 4, {}, 42);
  check_round_trip(lstm, dir / "lstm.tsdl");
  auto hybrid = models::make_hybrid<float>(30, 4, {}, 43);
  check_round_trip(hybrid, dir / "hybrid.tsdl");
}

TEST_CASE_TEMPLATE("Round trip of every layer type", T, float, double) {
  TempDir dir;
  auto model = make_all_layers_model<T>(51);
  randomize_weights(model, 52);
  check_round_trip(model, dir / "all_layers.tsdl");

  auto loaded = load_model<T>(dir / "all_layers.tsdl");
  CHECK(loaded.model.layer(0).name() == "encoder");
  auto& distributed = dynamic_cast<TimeDistributed<T>&>(loaded.model.layer(0));
  CHECK(distributed.layer().name() == "encoder/inner");
  const auto& conv = dynamic_cast<const Conv1D<T>&>(distributed.layer());
  CHECK(conv.padding() == Padding::same);
  CHECK(conv.activation() == ActivationKind::tanh);
  const auto& pool = dynamic_cast<const MaxPool1D<T>&>(loaded.model.layer(6));
  CHECK(pool.strides() == 2);
  CHECK(pool.padding() == Padding::same);
  CHECK(dynamic_cast<const Dropout<T>&>(loaded.model.layer(7)).rate() == 0.25);
  CHECK(dynamic_cast<const LSTM<T>&>(loaded.model.layer(4)).return_sequences());
}

TEST_CASE("ScoringConfig round trip") {
  TempDir dir;
  auto model = models::make_cnn<float>(40, 4, {}, 61);
  const ScoringConfig config = make_full_config();
  save_model(model, dir / "model.tsdl", config);

  const ScoringConfig loaded = load_model<float>(dir / "model.tsdl").config;
  CHECK(loaded.feature_names == config.feature_names);
  CHECK(loaded.scaler_kind == "standard");
  CHECK(loaded.scaler_offset == config.scaler_offset);
  CHECK(loaded.scaler_scale == config.scaler_scale);
  CHECK(loaded.window_width == 6);
  CHECK(loaded.window_step == 3);
  CHECK(loaded.seq_len == 40);
  CHECK(loaded.horizon_hours == 48);
  CHECK(loaded.threshold == 0.37);
  CHECK(loaded.model_kind == "hybrid");
  CHECK(loaded.metadata == config.metadata);
  CHECK(loaded == config);

  CHECK(load_scoring_config(dir / "model.tsdl") == config);

  // The default configuration round-trips too.
  save_model(model, dir / "default.tsdl");
  CHECK(load_scoring_config(dir / "default.tsdl") == ScoringConfig{});
}

TEST_CASE("ScoringConfig invalid fields rejected") {
  TempDir dir;
  auto model = models::make_cnn<float>(30, 4, {}, 71);
  struct Case {
    const char* description;
    void (*mutate)(ScoringConfig&);
  };
  const Case cases[] = {
      {"unknown scaler kind", [](ScoringConfig& c) { c.scaler_kind = "robust"; }},
      {"offsets with kind none",
       [](ScoringConfig& c) {
         c.scaler_kind = "none";
         c.scaler_scale.clear();
       }},
      {"offset and scale counts differ", [](ScoringConfig& c) { c.scaler_scale.pop_back(); }},
      {"feature count differs from scaler", [](ScoringConfig& c) { c.feature_names.pop_back(); }},
      {"zero scale", [](ScoringConfig& c) { c.scaler_scale[1] = 0.0; }},
      {"NaN offset", [](ScoringConfig& c) { c.scaler_offset[2] = std::nan(""); }},
      {"zero window width", [](ScoringConfig& c) { c.window_width = 0; }},
      {"negative window step", [](ScoringConfig& c) { c.window_step = -5; }},
      {"zero seq_len", [](ScoringConfig& c) { c.seq_len = 0; }},
      {"negative horizon", [](ScoringConfig& c) { c.horizon_hours = -1; }},
      {"threshold above 1", [](ScoringConfig& c) { c.threshold = 1.5; }},
      {"NaN threshold", [](ScoringConfig& c) { c.threshold = std::nan(""); }},
      {"empty metadata key", [](ScoringConfig& c) { c.metadata[""] = "x"; }},
  };
  for (const Case& test : cases) {
    INFO(test.description);
    ScoringConfig config = make_full_config();
    test.mutate(config);
    const fs::path path = dir / "rejected.tsdl";
    CHECK_THROWS_AS(save_model(model, path, config), std::invalid_argument);
    CHECK_FALSE(fs::exists(path));
  }
}

TEST_CASE("ScoringConfig filled from a pooled scaler") {
  data::RowMatrix rows(4, 3);
  rows << 1.0, 10.0, -2.0,  //
      3.0, 30.0, -4.0,      //
      5.0, 20.0, -6.0,      //
      7.0, 40.0, -8.0;
  data::Scaler scaler(data::ScalerKind::kMinMax);
  scaler.fit(rows, {"volt", "rotate", "pressure"});

  ScoringConfig config;
  set_scaler(config, scaler);
  CHECK(config.scaler_kind == "minmax");
  CHECK(config.feature_names == std::vector<std::string>{"volt", "rotate", "pressure"});
  CHECK(config.scaler_offset == std::vector<double>{1.0, 10.0, -8.0});
  CHECK(config.scaler_scale == std::vector<double>{6.0, 30.0, 6.0});
  CHECK(scoring_config_problem(config).empty());

  data::Scaler standard(data::ScalerKind::kStandard);
  standard.fit(rows);
  set_scaler(config, standard);
  CHECK(config.scaler_kind == "standard");
  CHECK(config.scaler_offset[0] == doctest::Approx(4.0));
  CHECK(config.feature_names.size() == 3);  // kept, because this scaler has no names

  ScoringConfig untouched;
  CHECK_THROWS_AS(set_scaler(untouched, data::Scaler(data::ScalerKind::kStandard, data::ScalerScope::kPerMachine)),
                  std::invalid_argument);
  CHECK_THROWS_AS(set_scaler(untouched, data::Scaler()), std::logic_error);
}

TEST_CASE_TEMPLATE("Adam state round trip resumes training exactly", T, float, double) {
  TempDir dir;
  models::CnnOptions options;
  options.filters = 8;
  options.dense_units = 16;
  options.dropout = 0.0;  // Dropout's random stream is not saved; with rate 0 it draws nothing.
  auto model = models::make_cnn<T>(12, 3, options, 81);
  auto adam = std::make_unique<Adam<T>>(1e-2, 0.8, 0.95, 1e-6);
  adam->set_clipnorm(0.5);
  model.compile(BinaryCrossEntropy(), std::move(adam));

  const Tensor<T> x = random_input(model, 16, 82);
  Tensor<T> y({16});
  for (Index i = 0; i < 16; ++i) y[i] = static_cast<T>(i % 3 == 0 ? 1 : 0);
  FitOptions fit;
  fit.epochs = 1;
  fit.batch_size = 16;
  fit.shuffle = false;

  model.fit(x, y, fit);
  save_model(model, dir / "resume.tsdl", {}, /*include_optimizer=*/true);
  LoadedModel<T> loaded = load_model<T>(dir / "resume.tsdl");

  REQUIRE(loaded.has_optimizer);
  auto* restored = dynamic_cast<Adam<T>*>(loaded.model.optimizer());
  REQUIRE(restored != nullptr);
  CHECK(restored->learning_rate() == 1e-2);
  CHECK(restored->beta1() == 0.8);
  CHECK(restored->beta2() == 0.95);
  CHECK(restored->epsilon() == 1e-6);
  CHECK(restored->clipnorm() == 0.5);
  CHECK(restored->iterations() == 1);

  // A model with the same weights but a fresh Adam takes a different second step, so the check
  // below fails when the moments are not restored.
  auto fresh = models::make_cnn<T>(12, 3, options, 81);
  load_weights_into(fresh, dir / "resume.tsdl");
  fresh.compile(BinaryCrossEntropy(), std::make_unique<Adam<T>>(1e-2, 0.8, 0.95, 1e-6));

  model.fit(x, y, fit);
  loaded.model.fit(x, y, fit);
  fresh.fit(x, y, fit);
  CHECK(loaded.model.optimizer()->iterations() == 2);
  CHECK(count_differences(copy_weights(loaded.model), copy_weights(model)) == 0);
  CHECK(count_differences(copy_weights(fresh), copy_weights(model)) > 0);
}

TEST_CASE("SGD momentum state round trip resumes training exactly") {
  TempDir dir;
  models::StackedLstmOptions options;
  options.units = {6, 5};
  options.dropout = 0.0;
  auto model = models::make_stacked_lstm<float>(10, 3, options, 91);
  model.compile(BinaryCrossEntropy(), std::make_unique<SGD<float>>(0.1, 0.9));

  const Tensor<float> x = random_input(model, 12, 92);
  Tensor<float> y({12});
  for (Index i = 0; i < 12; ++i) y[i] = static_cast<float>(i % 2);
  FitOptions fit;
  fit.epochs = 2;
  fit.batch_size = 6;
  fit.seed = 93;

  model.fit(x, y, fit);
  save_model(model, dir / "sgd.tsdl", {}, true);
  LoadedModel<float> loaded = load_model<float>(dir / "sgd.tsdl");
  auto* restored = dynamic_cast<SGD<float>*>(loaded.model.optimizer());
  REQUIRE(restored != nullptr);
  CHECK(restored->momentum() == doctest::Approx(0.9));
  CHECK(restored->iterations() == 4);
  CHECK(restored->clipnorm() == 0.0);

  model.fit(x, y, fit);
  loaded.model.fit(x, y, fit);
  CHECK(count_differences(copy_weights(loaded.model), copy_weights(model)) == 0);
}

TEST_CASE("Optimizer saved before its first step") {
  TempDir dir;
  auto model = models::make_cnn<float>(12, 3, {8, 3, 2, 16, 0.0}, 95);
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
  save_model(model, dir / "unstepped.tsdl", {}, true);
  LoadedModel<float> loaded = load_model<float>(dir / "unstepped.tsdl");
  REQUIRE(loaded.has_optimizer);
  CHECK(loaded.model.optimizer()->iterations() == 0);
  CHECK(loaded.model.optimizer()->state_tensors().empty());
}

TEST_CASE("Weights convert between float and double") {
  TempDir dir;
  auto float_model = make_all_layers_model<float>(101);
  randomize_weights(float_model, 102);
  save_model(float_model, dir / "float.tsdl");
  LoadedModel<double> widened = load_model<double>(dir / "float.tsdl");
  CHECK(widened.stored_weight_type == WeightType::float32);
  auto float_weights = copy_weights(float_model);
  auto widened_weights = copy_weights(widened.model);
  REQUIRE(widened_weights.size() == float_weights.size());
  Index widened_differences = 0;
  for (std::size_t k = 0; k < float_weights.size(); ++k) {
    for (Index i = 0; i < float_weights[k].size(); ++i) {
      widened_differences += widened_weights[k][i] == static_cast<double>(float_weights[k][i]) ? 0 : 1;
    }
  }
  CHECK(widened_differences == 0);

  auto double_model = make_all_layers_model<double>(103);
  randomize_weights(double_model, 104);
  save_model(double_model, dir / "double.tsdl");
  LoadedModel<float> narrowed = load_model<float>(dir / "double.tsdl");
  CHECK(narrowed.stored_weight_type == WeightType::float64);
  auto double_weights = copy_weights(double_model);
  auto narrowed_weights = copy_weights(narrowed.model);
  REQUIRE(narrowed_weights.size() == double_weights.size());
  Index narrowed_differences = 0;
  for (std::size_t k = 0; k < double_weights.size(); ++k) {
    for (Index i = 0; i < double_weights[k].size(); ++i) {
      narrowed_differences += narrowed_weights[k][i] == static_cast<float>(double_weights[k][i]) ? 0 : 1;
    }
  }
  CHECK(narrowed_differences == 0);

  // A double beyond float's range cannot be narrowed.
  (*double_model.parameters().front().value)[0] = 1e300;
  save_model(double_model, dir / "huge.tsdl");
  CHECK_THROWS_AS(load_model<float>(dir / "huge.tsdl"), ModelFileError);
  CHECK(load_model<double>(dir / "huge.tsdl").model.parameters().front().value->data()[0] == 1e300);
}

TEST_CASE("load_weights_into same architecture") {
  TempDir dir;
  auto source = models::make_hybrid<float>(30, 4, {8, 16, 2, 2, Padding::same, 12, 0.2}, 111);
  randomize_weights(source, 112);
  save_model(source, dir / "source.tsdl");

  auto target = models::make_hybrid<float>(30, 4, {8, 16, 2, 2, Padding::same, 12, 0.2}, 113);
  REQUIRE(count_differences(copy_weights(target), copy_weights(source)) > 0);
  load_weights_into(target, dir / "source.tsdl");
  CHECK(count_differences(copy_weights(target), copy_weights(source)) == 0);

  const Tensor<float> x = random_input(source, 5, 114);
  CHECK(count_differences(target.predict(x), source.predict(x)) == 0);
}

TEST_CASE("load_weights_into mismatched architecture leaves weights unchanged") {
  TempDir dir;
  models::CnnOptions options;
  options.filters = 8;
  options.dense_units = 16;
  auto source = models::make_cnn<float>(30, 4, options, 121);
  save_model(source, dir / "source.tsdl");

  SUBCASE("different units") {
    models::CnnOptions wider = options;
    wider.dense_units = 17;
    auto target = models::make_cnn<float>(30, 4, wider, 122);
    const auto before = copy_weights(target);
    try {
      load_weights_into(target, dir / "source.tsdl");
      FAIL("load_weights_into accepted a different architecture");
    } catch (const ModelFileError& error) {
      const std::string message = error.what();
      CHECK(message.find("architecture mismatch at layer 6") != std::string::npos);
      CHECK(message.find("units=17") != std::string::npos);
      CHECK(message.find("units=16") != std::string::npos);
      CHECK(message.find((dir / "source.tsdl").string()) == 0);
    }
    CHECK(count_differences(copy_weights(target), before) == 0);
  }
  SUBCASE("different input shape") {
    auto target = models::make_cnn<float>(31, 4, options, 123);
    const auto before = copy_weights(target);
    CHECK_THROWS_WITH_AS(load_weights_into(target, dir / "source.tsdl"),
                         doctest::Contains("input shape is (31, 4), the file's is (30, 4)"), ModelFileError);
    CHECK(count_differences(copy_weights(target), before) == 0);
  }
  SUBCASE("different model") {
    auto target = models::make_stacked_lstm<float>(30, 4, {}, 124);
    const auto before = copy_weights(target);
    CHECK_THROWS_AS(load_weights_into(target, dir / "source.tsdl"), ModelFileError);
    CHECK(count_differences(copy_weights(target), before) == 0);
  }
  SUBCASE("corrupted file") {
    auto target = models::make_cnn<float>(30, 4, options, 125);
    const auto before = copy_weights(target);
    fs::resize_file(dir / "source.tsdl", fs::file_size(dir / "source.tsdl") - 1);
    CHECK_THROWS_AS(load_weights_into(target, dir / "source.tsdl"), ModelFileError);
    CHECK(count_differences(copy_weights(target), before) == 0);
  }
  SUBCASE("unbuilt model") {
    Sequential<float> target;
    target.add(Dense<float>(1, ActivationKind::sigmoid));
    CHECK_THROWS_AS(load_weights_into(target, dir / "source.tsdl"), std::invalid_argument);
  }
}

TEST_CASE("save_model rejects models it cannot save") {
  TempDir dir;
  Sequential<float> unbuilt;
  unbuilt.add(Dense<float>(1, ActivationKind::sigmoid));
  CHECK_THROWS_AS(save_model(unbuilt, dir / "unbuilt.tsdl"), std::invalid_argument);
  CHECK_FALSE(fs::exists(dir / "unbuilt.tsdl"));

  auto uncompiled = models::make_cnn<float>(30, 4, {8, 3, 2, 16, 0.1}, 131);
  CHECK_THROWS_AS(save_model(uncompiled, dir / "uncompiled.tsdl", {}, true), std::invalid_argument);
  CHECK_FALSE(fs::exists(dir / "uncompiled.tsdl"));
}
