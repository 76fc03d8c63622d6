// Training callbacks: the hooks fit() calls, EarlyStopping, ReduceLROnPlateau, CSVLogger,
// ModelCheckpoint and the progress bar.
//
// Most tests drive a callback with a scripted sequence of epoch results: a ScriptedLog callback
// registered before it overwrites the EpochLog that fit() computed, so the expected epochs follow
// from the script alone, while the weights and the optimizer are those of a real training run.
#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "tsdl/callbacks.hpp"
#include "tsdl/tsdl.hpp"

using namespace tsdl;
using tsdl_test::contains;
using tsdl_test::TempDir;

namespace {

// 8 samples of 2 features; fit() with batch size 4 runs 2 batches per epoch.
struct TinyTask {
  Tensor<float> x{8, 2};
  Tensor<float> y{8, 1};
  TinyTask() {
    for (Index i = 0; i < 8; ++i) {
      x.at(i, 0) = static_cast<float>(i) / 8.0f - 0.5f;
      x.at(i, 1) = static_cast<float>(i % 3) - 1.0f;
      y[i] = i % 2 == 0 ? 1.0f : 0.0f;
    }
  }
};

std::unique_ptr<Sequential<float>> make_model(double learning_rate = 0.1) {
  auto model = std::make_unique<Sequential<float>>();
  model->add(Dense<float>(3, "tanh"));
  model->add(Dense<float>(1, "sigmoid"));
  model->build({2}, 7);
  model->compile(BinaryCrossEntropy(), std::make_unique<SGD<float>>(learning_rate));
  return model;
}

FitOptions fit_options(int epochs) {
  FitOptions options;
  options.epochs = epochs;
  options.batch_size = 4;
  options.shuffle = false;
  return options;
}

// Replaces the epoch results with scripted values (an empty vector leaves that field alone) and
// records the model's weights at the end of every epoch.
class ScriptedLog : public Callback<float> {
 public:
  std::vector<double> loss, accuracy, val_loss, val_accuracy;
  std::vector<std::vector<Tensor<float>>> weights;

  void on_epoch_end(EpochLog& log) override {
    const auto index = static_cast<std::size_t>(log.epoch - 1);
    REQUIRE(index >= weights.size());  // one call per epoch
    if (!loss.empty()) log.loss = loss.at(index);
    if (!accuracy.empty()) log.accuracy = accuracy.at(index);
    if (!val_loss.empty()) log.val_loss = val_loss.at(index);
    if (!val_accuracy.empty()) log.val_accuracy = val_accuracy.at(index);
    weights.push_back(get_weights(model()));
  }
};

class LearningRateRecorder : public Callback<float> {
 public:
  std::vector<double> rates;
  void on_epoch_end(EpochLog& /*log*/) override { rates.push_back(model().optimizer()->learning_rate()); }
};

bool same_weights(const std::vector<Tensor<float>>& a, const std::vector<Tensor<float>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].shape() != b[i].shape()) return false;
    for (Index k = 0; k < a[i].size(); ++k) {
      if (a[i][k] != b[i][k]) return false;
    }
  }
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Hooks

// Records every hook call as text.
class HookRecorder : public CallbackBase {
 public:
  std::vector<std::string> calls;
  std::vector<BatchLog> batches;
  TrainingParams params;
  Index stop_after_batch = 0;  // request a stop after this batch of epoch 1; 0 never

  void on_train_begin(const TrainingParams& training_params) override {
    params = training_params;
    calls.push_back("train_begin");
  }
  void on_train_end(const History& history) override {
    calls.push_back("train_end " + std::to_string(history.epochs.size()));
  }
  void on_epoch_begin(int epoch) override { calls.push_back("epoch_begin " + std::to_string(epoch)); }
  void on_epoch_end(EpochLog& log) override { calls.push_back("epoch_end " + std::to_string(log.epoch)); }
  void on_batch_end(const BatchLog& log) override {
    calls.push_back("batch_end " + std::to_string(log.epoch) + "." + std::to_string(log.batch));
    batches.push_back(log);
    if (log.epoch == 1 && log.batch == stop_after_batch) request_stop();
  }
};

TEST_CASE("fit calls hooks in order") {
  TinyTask task;
  auto model = make_model();
  auto recorder = std::make_shared<HookRecorder>();
  FitOptions options = fit_options(2);
  options.batch_size = 3;  // batches of 3, 3 and 2
  options.callbacks = {recorder};
  std::vector<int> legacy_epochs;
  options.on_epoch_end = [&](const EpochLog& log) {
    legacy_epochs.push_back(log.epoch);
    return true;
  };
  model->fit(task.x, task.y, options);

  const std::vector<std::string> expected = {
      "train_begin", "epoch_begin 1", "batch_end 1.1", "batch_end 1.2", "batch_end 1.3", "epoch_end 1",
      "epoch_begin 2", "batch_end 2.1", "batch_end 2.2", "batch_end 2.3", "epoch_end 2", "train_end 2"};
  CHECK(recorder->calls == expected);
  CHECK(recorder->params.epochs == 2);
  CHECK(recorder->params.steps_per_epoch == 3);
  CHECK(recorder->params.training_samples == 8);
  CHECK_FALSE(recorder->params.has_validation);
  CHECK(legacy_epochs == std::vector<int>{1, 2});

  REQUIRE(recorder->batches.size() == 6);
  CHECK(recorder->batches[0].samples == 3);
  CHECK(recorder->batches[1].samples == 6);
  CHECK(recorder->batches[2].samples == 8);
}

TEST_CASE("last batch log equals epoch log") {
  TinyTask task;
  auto model = make_model();
  auto recorder = std::make_shared<HookRecorder>();
  FitOptions options = fit_options(1);
  options.callbacks = {recorder};
  const History history = model->fit(task.x, task.y, options);
  REQUIRE(recorder->batches.size() == 2);
  CHECK(recorder->batches.back().loss == doctest::Approx(history.loss[0]).epsilon(1e-12));
  CHECK(recorder->batches.back().accuracy == doctest::Approx(history.accuracy[0]).epsilon(1e-12));
}

TEST_CASE("stop request in batch hook ends the epoch") {
  TinyTask task;
  auto model = make_model();
  auto recorder = std::make_shared<HookRecorder>();
  recorder->stop_after_batch = 1;
  FitOptions options = fit_options(5);
  options.callbacks = {recorder};
  const History history = model->fit(task.x, task.y, options);

  const std::vector<std::string> expected = {"train_begin", "epoch_begin 1", "batch_end 1.1", "epoch_end 1",
                                             "train_end 1"};
  CHECK(recorder->calls == expected);
  REQUIRE(history.loss.size() == 1);
  // The epoch's loss covers only the 4 samples of the batch that ran.
  CHECK(history.loss[0] == doctest::Approx(recorder->batches[0].loss).epsilon(1e-12));

  // A second fit() clears the earlier stop request.
  recorder->calls.clear();
  recorder->stop_after_batch = 0;
  CHECK(model->fit(task.x, task.y, options).loss.size() == 5);
}

TEST_CASE("fit rejects callbacks of another scalar type") {
  TinyTask task;
  auto model = make_model();
  FitOptions options = fit_options(1);
  options.callbacks = {std::make_shared<EarlyStopping<double>>()};
  CHECK_THROWS_WITH_AS(model->fit(task.x, task.y, options), contains("Callback<float>"), std::invalid_argument);

  options.callbacks = {nullptr};
  CHECK_THROWS_WITH_AS(model->fit(task.x, task.y, options), contains("callbacks[0] is null"), std::invalid_argument);
}

TEST_CASE("callback model is unavailable outside fit") {
  LearningRateRecorder recorder;
  CHECK_THROWS_AS(recorder.model(), std::logic_error);
}

TEST_CASE("callback changes to the epoch log reach the history") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {3.0, 2.0};
  FitOptions options = fit_options(2);
  options.callbacks = {script};
  const History history = model->fit(task.x, task.y, options);
  CHECK(history.loss == std::vector<double>{3.0, 2.0});
  CHECK(history.epochs[1].loss == 2.0);
}

// ---------------------------------------------------------------------------------------------
// EarlyStopping

TEST_CASE("EarlyStopping stops after patience epochs") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  // Best at epoch 2; epochs 3 and 4 do not improve, so patience 2 stops after epoch 4.
  script->loss = {1.0, 0.8, 0.9, 0.85, 0.7, 0.6};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  early_options.patience = 2;
  early_options.restore_best_weights = true;
  std::ostringstream messages;
  early_options.log = &messages;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(6);
  options.callbacks = {script, early_stopping};

  const History history = model->fit(task.x, task.y, options);

  CHECK(history.loss.size() == 4);
  CHECK(early_stopping->stopped_epoch() == 4);
  CHECK(early_stopping->best_epoch() == 2);
  CHECK(early_stopping->best() == 0.8);
  CHECK(messages.str().find("Epoch 4: early stopping") != std::string::npos);
  CHECK(messages.str().find("best epoch: 2") != std::string::npos);

  // The model contains the weights of epoch 2, not those of epoch 4 where training stopped.
  REQUIRE(script->weights.size() == 4);
  CHECK_FALSE(same_weights(script->weights[1], script->weights[3]));
  CHECK(same_weights(get_weights(*model), script->weights[1]));
}

TEST_CASE("EarlyStopping without restore keeps last weights") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {1.0, 1.0, 1.0};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(3);
  options.callbacks = {script, early_stopping};

  const History history = model->fit(task.x, task.y, options);

  // Patience 0 stops at the first epoch without improvement, but never after the first epoch.
  CHECK(history.loss.size() == 2);
  CHECK(early_stopping->stopped_epoch() == 2);
  CHECK(same_weights(get_weights(*model), script->weights[1]));
}

TEST_CASE("EarlyStopping min_delta ignores small gains") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {1.0, 0.95, 0.9, 0.85};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  early_options.min_delta = 0.1;
  early_options.patience = 1;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(4);
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 2);
  CHECK(early_stopping->best_epoch() == 1);
}

TEST_CASE("EarlyStopping maximizes accuracy") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->accuracy = {0.5, 0.6, 0.55, 0.7};
  EarlyStoppingOptions early_options;
  early_options.monitor = "accuracy";
  early_options.patience = 1;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(4);
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 3);
  CHECK(early_stopping->best_epoch() == 2);
  CHECK(early_stopping->best() == 0.6);
}

TEST_CASE("EarlyStopping explicit mode overrides inference") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {1.0, 2.0, 1.5};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  early_options.mode = MonitorMode::max;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(3);
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 3);
  CHECK(early_stopping->best_epoch() == 2);
}

TEST_CASE("EarlyStopping baseline delays the wait reset") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  // Each of the first two epochs improves but stays above the baseline 0.5, so the wait count
  // keeps growing and the first epoch without improvement stops training.
  script->loss = {0.9, 0.8, 0.85, 0.7};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  early_options.patience = 2;
  early_options.baseline = 0.5;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(4);
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 3);
}

TEST_CASE("EarlyStopping restores best weights without a stop") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {0.9, 0.7, 0.8};
  EarlyStoppingOptions early_options;
  early_options.monitor = "loss";
  early_options.patience = 5;
  early_options.restore_best_weights = true;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(3);
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 3);
  CHECK(early_stopping->stopped_epoch() == 0);
  REQUIRE(script->weights.size() == 3);
  CHECK_FALSE(same_weights(script->weights[1], script->weights[2]));
  CHECK(same_weights(get_weights(*model), script->weights[1]));
}

TEST_CASE("EarlyStopping runs to the end while improving") {
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->val_loss = {0.9, 0.8, 0.7};
  EarlyStoppingOptions early_options;
  early_options.restore_best_weights = true;
  auto early_stopping = std::make_shared<EarlyStopping<float>>(early_options);
  FitOptions options = fit_options(3);
  options.validation_split = 0.25;
  options.callbacks = {script, early_stopping};

  CHECK(model->fit(task.x, task.y, options).loss.size() == 3);
  CHECK(early_stopping->stopped_epoch() == 0);
  CHECK(early_stopping->best_epoch() == 3);
}

TEST_CASE("EarlyStopping rejects invalid arguments") {
  EarlyStoppingOptions unknown;
  unknown.monitor = "val_acc";
  CHECK_THROWS_WITH_AS(EarlyStopping<float>{unknown},
                       "EarlyStopping: unknown monitor \"val_acc\"; expected one of loss, val_loss, accuracy, val_accuracy",
                       std::invalid_argument);

  EarlyStoppingOptions negative_patience;
  negative_patience.patience = -1;
  CHECK_THROWS_WITH_AS(EarlyStopping<float>{negative_patience}, contains("patience must be >= 0, got -1"),
                       std::invalid_argument);

  EarlyStoppingOptions negative_delta;
  negative_delta.min_delta = -0.5;
  CHECK_THROWS_WITH_AS(EarlyStopping<float>{negative_delta}, contains("min_delta must be >= 0, got -0.5"),
                       std::invalid_argument);
}

TEST_CASE("EarlyStopping on val_loss needs validation data") {
  TinyTask task;
  auto model = make_model();
  FitOptions options = fit_options(2);
  options.callbacks = {std::make_shared<EarlyStopping<float>>()};
  CHECK_THROWS_WITH_AS(model->fit(task.x, task.y, options), contains("monitor \"val_loss\" needs validation data"),
                       std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// ReduceLROnPlateau

TEST_CASE("ReduceLROnPlateau reduces after patience with cooldown") {
  TinyTask task;
  auto model = make_model(0.1);
  auto script = std::make_shared<ScriptedLog>();
  script->loss.assign(12, 1.0);
  ReduceLROnPlateauOptions reduce_options;
  reduce_options.monitor = "loss";
  reduce_options.factor = 0.5;
  reduce_options.patience = 2;
  reduce_options.cooldown = 2;
  reduce_options.min_lr = 0.02;
  std::ostringstream messages;
  reduce_options.log = &messages;
  auto recorder = std::make_shared<LearningRateRecorder>();
  FitOptions options = fit_options(12);
  options.callbacks = {script, std::make_shared<ReduceLROnPlateau<float>>(reduce_options), recorder};

  model->fit(task.x, task.y, options);

  // Epoch 1 sets the best value. Epochs 2 and 3 wait, so epoch 3 halves the rate. Cooldown skips
  // epochs 4 and 5, and the cycle repeats at epochs 6 and 9, where min_lr bounds the rate. At
  // epoch 12 the rate is already at min_lr and stays.
  const std::vector<double> expected = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02};
  REQUIRE(recorder->rates.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("epoch " << i + 1);
    CHECK(recorder->rates[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
  CHECK(model->optimizer()->learning_rate() == doctest::Approx(0.02).epsilon(1e-12));
  CHECK(messages.str().find("Epoch 3: ReduceLROnPlateau reducing learning rate from 0.1 to 0.05") != std::string::npos);
}

TEST_CASE("ReduceLROnPlateau improvement resets the wait") {
  TinyTask task;
  auto model = make_model(0.1);
  auto script = std::make_shared<ScriptedLog>();
  // Epoch 4 beats the best by less than min_delta, which counts as no improvement.
  script->val_loss = {1.0, 1.0, 0.5, 0.499, 0.3};
  ReduceLROnPlateauOptions reduce_options;
  reduce_options.factor = 0.5;
  reduce_options.patience = 1;
  reduce_options.min_delta = 0.01;
  auto recorder = std::make_shared<LearningRateRecorder>();
  FitOptions options = fit_options(5);
  options.validation_split = 0.25;
  options.callbacks = {script, std::make_shared<ReduceLROnPlateau<float>>(reduce_options), recorder};

  model->fit(task.x, task.y, options);

  const std::vector<double> expected = {0.1, 0.05, 0.05, 0.025, 0.025};
  REQUIRE(recorder->rates.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("epoch " << i + 1);
    CHECK(recorder->rates[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

TEST_CASE("ReduceLROnPlateau rejects invalid arguments") {
  for (double factor : {0.0, 1.0, -0.5, 1.5}) {
    ReduceLROnPlateauOptions reduce_options;
    reduce_options.factor = factor;
    INFO("factor " << factor);
    CHECK_THROWS_WITH_AS(ReduceLROnPlateau<float>{reduce_options},
                         contains("factor must be in (0, 1), got " + std::to_string(factor)), std::invalid_argument);
  }

  ReduceLROnPlateauOptions negative_patience;
  negative_patience.patience = -2;
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau<float>{negative_patience}, contains("patience must be >= 0, got -2"),
                       std::invalid_argument);

  ReduceLROnPlateauOptions negative_cooldown;
  negative_cooldown.cooldown = -1;
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau<float>{negative_cooldown}, contains("cooldown must be >= 0, got -1"),
                       std::invalid_argument);

  ReduceLROnPlateauOptions negative_min_lr;
  negative_min_lr.min_lr = -1e-3;
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau<float>{negative_min_lr}, contains("min_lr must be >= 0"),
                       std::invalid_argument);

  ReduceLROnPlateauOptions unknown;
  unknown.monitor = "lr";
  CHECK_THROWS_WITH_AS(ReduceLROnPlateau<float>{unknown}, contains("unknown monitor \"lr\""), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// CSVLogger

TEST_CASE("CSVLogger writes one row per epoch") {
  TempDir dir;
  const auto path = dir.path() / "training.csv";
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {0.5, 0.1};
  script->accuracy = {0.75, 0.875};
  script->val_loss = {0.625, 0.375};
  script->val_accuracy = {0.5, 1.0};
  FitOptions options = fit_options(2);
  options.validation_split = 0.25;
  options.callbacks = {script, std::make_shared<CSVLogger>(path)};

  model->fit(task.x, task.y, options);

  CHECK(read_file(path) ==
        "epoch,loss,accuracy,val_loss,val_accuracy\n"
        "0,0.5,0.75,0.625,0.5\n"
        "1,0.1,0.875,0.375,1\n");
}

TEST_CASE("CSVLogger append and overwrite") {
  TempDir dir;
  const auto path = dir.path() / "training.csv";
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {0.25};
  script->accuracy = {1.0};
  FitOptions options = fit_options(1);

  options.callbacks = {script, std::make_shared<CSVLogger>(path, /*append=*/true, ';')};
  model->fit(task.x, task.y, options);
  script->weights.clear();
  model->fit(task.x, task.y, options);
  // Without validation data the validation columns contain NA; the header is written once.
  CHECK(read_file(path) ==
        "epoch;loss;accuracy;val_loss;val_accuracy\n"
        "0;0.25;1;NA;NA\n"
        "0;0.25;1;NA;NA\n");

  options.callbacks = {script, std::make_shared<CSVLogger>(path)};
  script->weights.clear();
  model->fit(task.x, task.y, options);
  CHECK(read_file(path) == "epoch,loss,accuracy,val_loss,val_accuracy\n0,0.25,1,NA,NA\n");
}

TEST_CASE("CSVLogger reports an unwritable path") {
  TempDir dir;
  TinyTask task;
  auto model = make_model();
  FitOptions options = fit_options(1);
  options.callbacks = {std::make_shared<CSVLogger>(dir.path() / "missing" / "training.csv")};
  CHECK_THROWS_WITH_AS(model->fit(task.x, task.y, options), contains("CSVLogger: failed to open"), std::runtime_error);
}

// ---------------------------------------------------------------------------------------------
// ModelCheckpoint

TEST_CASE("ModelCheckpoint saves only on improvement") {
  TempDir dir;
  const std::string pattern = (dir.path() / "checkpoints" / "model_{epoch:02d}.tsdl").string();
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {1.0, 0.8, 0.9, 0.7, 0.7};
  std::vector<std::string> saved;
  ModelCheckpointOptions checkpoint_options;
  checkpoint_options.monitor = "loss";
  checkpoint_options.save_best_only = true;
  std::ostringstream messages;
  checkpoint_options.log = &messages;
  auto checkpoint = std::make_shared<ModelCheckpoint<float>>(
      pattern, checkpoint_options,
      [&saved](Sequential<float>& /*model*/, const std::filesystem::path& path) { saved.push_back(path.string()); });
  FitOptions options = fit_options(5);
  options.callbacks = {script, checkpoint};

  model->fit(task.x, task.y, options);

  // Epoch 5 equals the best value 0.7, which is no improvement.
  const auto folder = dir.path() / "checkpoints";
  const std::vector<std::string> expected = {(folder / "model_01.tsdl").string(), (folder / "model_02.tsdl").string(),
                                             (folder / "model_04.tsdl").string()};
  CHECK(saved == expected);
  CHECK(std::filesystem::is_directory(folder));
  CHECK(checkpoint->best() == 0.7);
  CHECK(messages.str().find("Epoch 3: loss did not improve from 0.8") != std::string::npos);
}

TEST_CASE("ModelCheckpoint without save_best_only saves every epoch") {
  TinyTask task;
  auto model = make_model();
  std::vector<std::string> saved;
  auto checkpoint = std::make_shared<ModelCheckpoint<float>>(
      "model_{epoch}.tsdl", ModelCheckpointOptions{},
      [&saved](Sequential<float>& /*model*/, const std::filesystem::path& path) { saved.push_back(path.string()); });
  FitOptions options = fit_options(3);
  options.callbacks = {checkpoint};
  model->fit(task.x, task.y, options);
  CHECK(saved == std::vector<std::string>{"model_1.tsdl", "model_2.tsdl", "model_3.tsdl"});
}

TEST_CASE("ModelCheckpoint file holds the best weights") {
  TempDir dir;
  const auto path = dir.path() / "best.tsdl";
  TinyTask task;
  auto model = make_model();
  auto script = std::make_shared<ScriptedLog>();
  script->loss = {1.0, 0.5, 0.9};
  ModelCheckpointOptions checkpoint_options;
  checkpoint_options.monitor = "loss";
  checkpoint_options.save_best_only = true;
  FitOptions options = fit_options(3);
  options.callbacks = {script, std::make_shared<ModelCheckpoint<float>>(path.string(), checkpoint_options)};

  model->fit(task.x, task.y, options);

  REQUIRE(std::filesystem::exists(path));
  LoadedModel<float> loaded = load_model<float>(path);
  CHECK(same_weights(get_weights(loaded.model), script->weights[1]));
  CHECK_FALSE(same_weights(get_weights(loaded.model), script->weights[2]));
}

TEST_CASE("ModelCheckpoint rejects invalid arguments") {
  CHECK_THROWS_WITH_AS(ModelCheckpoint<float>("model_{step}.tsdl"), contains("unsupported placeholder \"{step}\""),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(ModelCheckpoint<float>("model_{epoch:2d}.tsdl"), contains("{epoch:2d}"), std::invalid_argument);
  CHECK_THROWS_AS(ModelCheckpoint<float>(""), std::invalid_argument);
  ModelCheckpointOptions unknown;
  unknown.monitor = "val_auc";
  CHECK_THROWS_WITH_AS(ModelCheckpoint<float>("model.tsdl", unknown), contains("unknown monitor \"val_auc\""),
                       std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// ProgressBar

TEST_CASE("ProgressBar writes plain lines off a terminal") {
  TinyTask task;
  auto model = make_model();
  std::ostringstream out;
  FitOptions options = fit_options(2);
  options.validation_split = 0.25;
  options.callbacks = {std::make_shared<ProgressBar>(out, 1)};
  model->fit(task.x, task.y, options);

  const std::string text = out.str();
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("Epoch 1/2 - ") == 0);
  CHECK(text.find("\nEpoch 2/2 - ") != std::string::npos);
  CHECK(text.find(" - val_accuracy: ") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
}

TEST_CASE("ProgressBar draws a bar on a terminal") {
  TinyTask task;
  auto model = make_model();
  std::ostringstream out;
  FitOptions options = fit_options(2);
  options.callbacks = {std::make_shared<ProgressBar>(out, 1, /*terminal=*/true)};
  model->fit(task.x, task.y, options);

  const std::string text = out.str();
  CHECK(text.find("Epoch 1/2\n") == 0);
  CHECK(text.find("\nEpoch 2/2\n") != std::string::npos);
  // The first batch of 2 draws a half bar with an ETA; the epoch ends with a full bar.
  CHECK(text.find("\r1/2 [==============>...............] - ETA: ") != std::string::npos);
  CHECK(text.find("\r2/2 [==============================] - ") != std::string::npos);
  CHECK(text.find("/step - loss: ") != std::string::npos);
}

TEST_CASE("ProgressBar verbose 2 writes plain lines on a terminal") {
  std::ostringstream out;
  ProgressBar bar(out, 2, /*terminal=*/true);
  CHECK_FALSE(bar.draws_bar());
  CHECK_FALSE(ProgressBar(out, 1).draws_bar());
  CHECK_FALSE(is_terminal(out));
  CHECK_THROWS_WITH_AS(ProgressBar(out, 3), contains("verbose must be 0, 1 or 2, got 3"), std::invalid_argument);
}
