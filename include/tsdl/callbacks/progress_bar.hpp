// ProgressBar: Keras-style training progress on an output stream.
//
// verbose 1 on a terminal redraws one line per batch and ends each epoch with its totals:
//   Epoch 1/10
//   16/16 [==============================] - 1s 62ms/step - loss: 0.6931 - accuracy: 0.5000
// verbose 2, or verbose 1 when the stream is not a terminal, writes one plain line per epoch:
//   Epoch 1/10 - 0.98s - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.6912 - val_accuracy: 0.5312
// fit() adds a ProgressBar on FitOptions::log when FitOptions::verbose > 0.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ios>
#include <iostream>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

#include "tsdl/callbacks/callback.hpp"

namespace tsdl {

// True when `out` is std::cout, std::cerr or std::clog and its file descriptor is a terminal.
// Any other stream, such as a std::ofstream or std::ostringstream, counts as not a terminal.
// NOTE: a std::cout whose rdbuf() was replaced still reports the terminal state of stdout.
inline bool is_terminal(const std::ostream& out) {
  std::FILE* file = nullptr;
  if (&out == &std::cout) file = stdout;
  if (&out == &std::cerr || &out == &std::clog) file = stderr;
  if (file == nullptr) return false;
#if defined(_WIN32)
  return _isatty(_fileno(file)) != 0;
#else
  return isatty(fileno(file)) != 0;
#endif
}

class ProgressBar : public CallbackBase {
 public:
  // verbose: 0 writes nothing, 1 draws the bar on a terminal and plain lines elsewhere, 2 writes
  // plain lines. `terminal` overrides the is_terminal() check, for tests and for streams that
  // reach a terminal another way. Throws std::invalid_argument for another verbose value.
  explicit ProgressBar(std::ostream& out, int verbose = 1, std::optional<bool> terminal = std::nullopt)
      : out_(out), verbose_(verbose) {
    if (verbose < 0 || verbose > 2) {
      throw std::invalid_argument("ProgressBar: verbose must be 0, 1 or 2, got " + std::to_string(verbose));
    }
    draw_bar_ = verbose == 1 && terminal.value_or(is_terminal(out));
  }

  bool draws_bar() const { return draw_bar_; }

  void on_train_begin(const TrainingParams& params) override { params_ = params; }

  void on_epoch_begin(int epoch) override {
    epoch_start_ = Clock::now();
    last_draw_.reset();
    last_batch_ = 0;
    drawn_width_ = 0;
    if (draw_bar_) out_ << "Epoch " << epoch << "/" << params_.epochs << "\n" << std::flush;
  }

  void on_batch_end(const BatchLog& log) override {
    last_batch_ = log.batch;
    if (!draw_bar_) return;
    // Redraw at most every 50 ms, so that many small batches do not flood the terminal. The last
    // batch is left to on_epoch_end().
    const auto now = Clock::now();
    const bool last = log.batch >= params_.steps_per_epoch;
    if (last || (last_draw_ && now - *last_draw_ < std::chrono::milliseconds(50))) return;
    last_draw_ = now;

    const double elapsed = seconds_since(epoch_start_);
    const double eta = elapsed / static_cast<double>(log.batch) * static_cast<double>(params_.steps_per_epoch - log.batch);
    std::ostringstream line;
    line << counter(log.batch) << " [" << bar(log.batch) << "] - ETA: " << format_eta(eta);
    write_metrics(line, log.loss, log.accuracy);
    redraw(line.str());
  }

  void on_epoch_end(EpochLog& log) override {
    if (verbose_ == 0) return;
    std::ostringstream line;
    if (draw_bar_) {
      const Index steps = last_batch_ > 0 ? last_batch_ : params_.steps_per_epoch;
      line << counter(steps) << " [" << bar(steps) << "] - " << std::fixed << std::setprecision(0) << log.seconds
           << "s " << format_step_time(log.seconds / static_cast<double>(std::max<Index>(steps, 1)));
    } else {
      line << "Epoch " << log.epoch << "/" << params_.epochs << " - " << std::fixed << std::setprecision(2)
           << log.seconds << "s";
    }
    write_metrics(line, log.loss, log.accuracy);
    if (log.val_loss) line << " - val_loss: " << *log.val_loss;
    if (log.val_accuracy) line << " - val_accuracy: " << *log.val_accuracy;
    if (draw_bar_) {
      redraw(line.str());
      out_ << "\n" << std::flush;
    } else {
      out_ << line.str() << "\n" << std::flush;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;

  static double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  // "  3/16", right-aligned to the width of the step count.
  std::string counter(Index batch) const {
    const std::string total = std::to_string(params_.steps_per_epoch);
    std::ostringstream text;
    text << std::setw(static_cast<int>(total.size())) << batch << "/" << total;
    return text.str();
  }

  // 30 characters: '=' for finished batches, '>' at the current position, '.' for the rest.
  std::string bar(Index batch) const {
    const int width = 30;
    const Index steps = std::max<Index>(params_.steps_per_epoch, 1);
    const int filled = static_cast<int>(std::min<Index>(width * batch / steps, width));
    std::string text;
    if (filled > 0) text.append(static_cast<std::size_t>(filled - 1), '=');
    if (filled > 0) text += batch < steps ? '>' : '=';
    text.append(static_cast<std::size_t>(width - filled), '.');
    return text;
  }

  static std::string format_eta(double seconds) {
    const long total = std::lround(seconds);
    char text[32];
    if (total >= 3600) {
      std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, (total % 3600) / 60, total % 60);
    } else if (total >= 60) {
      std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    } else {
      std::snprintf(text, sizeof text, "%lds", total);
    }
    return text;
  }

  static std::string format_step_time(double seconds) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(0);
    if (seconds >= 1.0) {
      text << seconds << "s/step";
    } else if (seconds >= 1e-3) {
      text << seconds * 1e3 << "ms/step";
    } else {
      text << seconds * 1e6 << "us/step";
    }
    return text.str();
  }

  static void write_metrics(std::ostringstream& line, double loss, double accuracy) {
    line << std::fixed << std::setprecision(4) << " - loss: " << loss << " - accuracy: " << accuracy;
  }

  // Overwrites the current terminal line, padding with spaces when the new text is shorter.
  void redraw(const std::string& text) {
    out_ << "\r" << text;
    if (text.size() < drawn_width_) out_ << std::string(drawn_width_ - text.size(), ' ');
    drawn_width_ = text.size();
    out_ << std::flush;
  }

  std::ostream& out_;
  int verbose_;
  bool draw_bar_ = false;
  TrainingParams params_;
  Clock::time_point epoch_start_{};
  std::optional<Clock::time_point> last_draw_;
  Index last_batch_ = 0;
  std::size_t drawn_width_ = 0;
};

}  // namespace tsdl
