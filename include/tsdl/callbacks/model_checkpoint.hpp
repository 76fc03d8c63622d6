// ModelCheckpoint: saves the model after epochs, in the manner of Keras's ModelCheckpoint callback.
//
// With save_best_only, the model is saved only after an epoch whose monitored value is strictly
// better than the best one so far. There is no min_delta. The best value is kept
// across fit() calls on the same callback, so a later fit() overwrites the file only when it
// improves on the earlier ones. Without save_best_only, the model is saved after every epoch.
//
// The file path may contain "{epoch}" or a zero-padded "{epoch:03d}", replaced by the epoch counted
// from 1, for example "checkpoints/model_{epoch:03d}.tsdl". By default the model is written with
// save_model() from tsdl/serialization.hpp, so load_model() reads a checkpoint back.
#pragma once

#include <cctype>
#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/sequential.hpp"
#include "tsdl/serialization.hpp"

namespace tsdl {

struct ModelCheckpointOptions {
  // "loss", "val_loss", "accuracy" or "val_accuracy"; used only with save_best_only.
  std::string monitor = "val_loss";
  MonitorMode mode = MonitorMode::automatic;
  bool save_best_only = false;
  // Passed to save_model(): whether to store the optimizer state so that training can resume.
  bool include_optimizer = false;
  // Scoring configuration stored with each checkpoint, passed to save_model().
  ScoringConfig config;
  // Receives a line for each saved and each skipped checkpoint.
  std::ostream* log = nullptr;
};

template <typename T>
class ModelCheckpoint : public Callback<T> {
 public:
  // Writes `model` to `path`. The default writer calls save_model().
  using Writer = std::function<void(Sequential<T>& model, const std::filesystem::path& path)>;

  // Throws std::invalid_argument when the path is empty, has a placeholder other than {epoch} and
  // {epoch:0Nd}, or the monitor is unknown.
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {}, Writer writer = {})
      : filepath_(std::move(filepath)),
        options_(std::move(options)),
        monitor_(options_.monitor, options_.mode, "ModelCheckpoint"),
        writer_(std::move(writer)) {
    if (filepath_.empty()) throw std::invalid_argument("ModelCheckpoint: filepath is empty");
    format_path(1);
    best_ = monitor_.initial_best();
    if (!writer_) {
      const ScoringConfig config = options_.config;
      const bool include_optimizer = options_.include_optimizer;
      writer_ = [config, include_optimizer](Sequential<T>& model, const std::filesystem::path& path) {
        save_model(model, path, config, include_optimizer);
      };
    }
  }

  // Best monitored value saved so far; +inf or -inf before the first save with save_best_only.
  double best() const { return best_; }

  // Returns the file path for `epoch` (counted from 1), with the placeholders replaced.
  std::filesystem::path format_path(int epoch) const {
    std::string path;
    std::size_t position = 0;
    while (position < filepath_.size()) {
      const std::size_t open = filepath_.find('{', position);
      if (open == std::string::npos) {
        path += filepath_.substr(position);
        break;
      }
      path += filepath_.substr(position, open - position);
      const std::size_t close = filepath_.find('}', open);
      const std::string placeholder = filepath_.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
      path += format_placeholder(placeholder, epoch);
      position = open + placeholder.size();
    }
    return path;
  }

  void on_train_begin(const TrainingParams& params) override {
    if (options_.save_best_only) monitor_.check_available(params);
  }

  void on_epoch_end(EpochLog& log) override {
    const std::filesystem::path path = format_path(log.epoch);
    if (!options_.save_best_only) {
      save(path);
      return;
    }
    const double current = monitor_.value(log);
    if (!monitor_.improves(current, best_, 0.0)) {
      if (options_.log != nullptr) {
        *options_.log << "Epoch " << log.epoch << ": " << monitor_.name() << " did not improve from " << best_ << "\n";
      }
      return;
    }
    if (options_.log != nullptr) {
      *options_.log << "Epoch " << log.epoch << ": " << monitor_.name() << " improved from " << best_ << " to "
                    << current << ", saving model to " << path.string() << "\n";
    }
    save(path);
    best_ = current;
  }

 private:
  std::string format_placeholder(const std::string& placeholder, int epoch) const {
    if (placeholder == "{epoch}") return std::to_string(epoch);
    // "{epoch:0Nd}": at least N digits, padded with zeros.
    const std::string prefix = "{epoch:0";
    const bool padded = placeholder.size() > prefix.size() + 2 && placeholder.compare(0, prefix.size(), prefix) == 0 &&
                        placeholder.compare(placeholder.size() - 2, 2, "d}") == 0;
    std::size_t width = 0;
    if (padded) {
      const std::string digits = placeholder.substr(prefix.size(), placeholder.size() - prefix.size() - 2);
      bool all_digits = digits.size() <= 2;
      for (char c : digits) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c)) != 0;
      if (all_digits) width = static_cast<std::size_t>(std::stoi(digits));
    }
    if (width == 0) {
      throw std::invalid_argument("ModelCheckpoint: unsupported placeholder \"" + placeholder + "\" in filepath \"" +
                                  filepath_ + "\"; use {epoch} or a zero-padded form such as {epoch:03d}");
    }
    std::string number = std::to_string(epoch);
    if (number.size() < width) number.insert(0, width - number.size(), '0');
    return number;
  }

  void save(const std::filesystem::path& path) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    writer_(this->model(), path);
  }

  std::string filepath_;
  ModelCheckpointOptions options_;
  Monitor monitor_;
  Writer writer_;
  double best_ = 0.0;
};

}  // namespace tsdl
