// TensorBoard: writes training curves and weight histograms for TensorBoard, in the layout of
// Keras's TensorBoard callback. View them with `tensorboard --logdir <log_dir>`.
//
//   <log_dir>/train/events.out.tfevents.*       epoch_loss, epoch_accuracy, epoch_learning_rate,
//                                               and the histogram of each kernel and bias
//   <log_dir>/validation/events.out.tfevents.*  epoch_loss, epoch_accuracy
//
// The step of every value is the epoch index counted from 0, as Keras writes it. Histogram tags are
// "<layer name>/<parameter name>", such as "conv1d/kernel" or "lstm/recurrent_kernel". For a
// TimeDistributed layer they name the TimeDistributed layer and the wrapped layer's parameter,
// such as "time_distributed/kernel". Each fit() call opens new event files, whose steps start at 0
// again. The validation file is created at the first epoch with validation results.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/sequential.hpp"
#include "tsdl/tensorboard/event_file_writer.hpp"

namespace tsdl {

struct TensorBoardOptions {
  // Histograms are written every histogram_freq epochs, starting with the first; 0 writes none.
  // NOTE: Keras's default is 0; the default here is 1, so weight histograms appear without setup.
  int histogram_freq = 1;
  // Equal-width buckets per histogram, between the smallest and the largest weight; must be >= 1.
  int histogram_buckets = 30;
  // Writes the optimizer's learning rate as epoch_learning_rate in the train run.
  bool write_learning_rate = true;
};

template <typename T>
class TensorBoard : public Callback<T> {
 public:
  // Throws std::invalid_argument when log_dir is empty, histogram_freq < 0 or
  // histogram_buckets < 1. Nothing is created before fit() starts.
  explicit TensorBoard(std::filesystem::path log_dir, TensorBoardOptions options = {})
      : log_dir_(std::move(log_dir)), options_(options) {
    if (log_dir_.empty()) throw std::invalid_argument("TensorBoard: log_dir is empty");
    if (options_.histogram_freq < 0) {
      throw std::invalid_argument("TensorBoard: histogram_freq must be >= 0, got " +
                                  std::to_string(options_.histogram_freq));
    }
    if (options_.histogram_buckets < 1) {
      throw std::invalid_argument("TensorBoard: histogram_buckets must be >= 1, got " +
                                  std::to_string(options_.histogram_buckets));
    }
  }

  const std::filesystem::path& log_dir() const { return log_dir_; }

  // Paths of the current or last event files; empty before they are created.
  std::filesystem::path train_file() const { return train_file_; }
  std::filesystem::path validation_file() const { return validation_file_; }

  // Creates <log_dir>/train and its event file. Throws std::runtime_error when that fails.
  void on_train_begin(const TrainingParams& /*params*/) override {
    validation_.reset();
    validation_file_.clear();
    train_ = std::make_unique<tensorboard::EventFileWriter>(log_dir_ / "train");
    train_file_ = train_->path();
  }

  void on_epoch_end(EpochLog& log) override {
    if (!train_) throw std::logic_error("TensorBoard: on_epoch_end() called before on_train_begin()");
    const std::int64_t step = log.epoch - 1;
    train_->add_scalar("epoch_loss", log.loss, step);
    train_->add_scalar("epoch_accuracy", log.accuracy, step);
    if (options_.write_learning_rate && this->model().optimizer() != nullptr) {
      train_->add_scalar("epoch_learning_rate", this->model().optimizer()->learning_rate(), step);
    }
    if (options_.histogram_freq > 0 && step % options_.histogram_freq == 0) write_histograms(step);
    train_->flush();

    if (log.val_loss || log.val_accuracy) {
      if (!validation_) {
        validation_ = std::make_unique<tensorboard::EventFileWriter>(log_dir_ / "validation");
        validation_file_ = validation_->path();
      }
      if (log.val_loss) validation_->add_scalar("epoch_loss", *log.val_loss, step);
      if (log.val_accuracy) validation_->add_scalar("epoch_accuracy", *log.val_accuracy, step);
      validation_->flush();
    }
  }

  void on_train_end(const History& /*history*/) override {
    if (train_) train_->close();
    if (validation_) validation_->close();
    train_.reset();
    validation_.reset();
  }

 private:
  void write_histograms(std::int64_t step) {
    Sequential<T>& model = this->model();
    for (std::size_t i = 0; i < model.size(); ++i) {
      Layer<T>& layer = model.layer(i);
      for (const Parameter<T>& parameter : layer.parameters()) {
        const tensorboard::Histogram histogram = tensorboard::make_histogram(
            parameter.value->data(), static_cast<std::size_t>(parameter.value->size()), options_.histogram_buckets);
        if (histogram.num == 0.0) continue;
        train_->add_histogram(layer.name() + "/" + parameter.name, histogram, step);
      }
    }
  }

  std::filesystem::path log_dir_;
  TensorBoardOptions options_;
  std::unique_ptr<tensorboard::EventFileWriter> train_;
  std::unique_ptr<tensorboard::EventFileWriter> validation_;
  std::filesystem::path train_file_;
  std::filesystem::path validation_file_;
};

}  // namespace tsdl
