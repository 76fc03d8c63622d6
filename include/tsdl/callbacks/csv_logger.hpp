// CSVLogger: writes one CSV row per epoch, as Keras's CSVLogger callback does.
//
//   epoch,loss,accuracy,val_loss,val_accuracy
//   0,0.6931471805599453,0.5,0.6912,0.53125
//
// The epoch column counts from 0, as Keras writes it, so it is EpochLog::epoch - 1. Values are
// written in the shortest form that reads back to the same double. The validation columns are
// always present and contain NA, as Keras writes missing values, when fit() has no validation
// data. Each row is flushed, so the file can be read while training runs.
#pragma once

#include <charconv>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

#include "tsdl/callbacks/callback.hpp"

namespace tsdl {

class CSVLogger : public CallbackBase {
 public:
  // With append false, each fit() call replaces the file. With append true, rows are added to it,
  // and the header is written only when the file is missing or empty.
  explicit CSVLogger(std::filesystem::path filename, bool append = false, char separator = ',')
      : filename_(std::move(filename)), append_(append), separator_(separator) {
    if (filename_.empty()) throw std::invalid_argument("CSVLogger: filename is empty");
  }

  const std::filesystem::path& filename() const { return filename_; }

  // Opens the file. Throws std::runtime_error naming the file when it cannot be opened.
  void on_train_begin(const TrainingParams& /*params*/) override {
    std::error_code error;
    const bool write_header = !append_ || !std::filesystem::exists(filename_, error) ||
                              std::filesystem::file_size(filename_, error) == 0;
    file_.close();
    file_.clear();
    errno = 0;
    file_.open(filename_, append_ ? std::ios::out | std::ios::app : std::ios::out | std::ios::trunc);
    if (!file_) {
      const int saved_errno = errno;
      throw std::runtime_error("CSVLogger: failed to open \"" + filename_.string() + "\" for writing" +
                               (saved_errno != 0 ? std::string(": ") + std::strerror(saved_errno) : std::string()) +
                               "; check that its folder exists and is writable");
    }
    if (write_header) {
      file_ << "epoch" << separator_ << "loss" << separator_ << "accuracy" << separator_ << "val_loss" << separator_
            << "val_accuracy\n";
    }
    file_.flush();
  }

  // Writes the epoch's row. Throws std::runtime_error naming the file when writing fails.
  void on_epoch_end(EpochLog& log) override {
    if (!file_.is_open()) throw std::logic_error("CSVLogger: on_epoch_end() called before on_train_begin()");
    file_ << (log.epoch - 1) << separator_ << format(log.loss) << separator_ << format(log.accuracy) << separator_
          << format(log.val_loss) << separator_ << format(log.val_accuracy) << "\n";
    file_.flush();
    if (!file_) throw std::runtime_error("CSVLogger: failed to write to \"" + filename_.string() + "\"");
  }

  void on_train_end(const History& /*history*/) override { file_.close(); }

 private:
  static std::string format(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
  }
  static std::string format(const std::optional<double>& value) { return value ? format(*value) : "NA"; }

  std::filesystem::path filename_;
  bool append_;
  char separator_;
  std::ofstream file_;
};

}  // namespace tsdl
