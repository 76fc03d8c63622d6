// Command-line front end shared by the example binaries: flag parsing, --help, and the exit codes
// 0 (success), 1 (failed while running, for example on bad data) and 2 (invalid command line).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/experiment.hpp"

namespace tsdl::examples {

// Error in the command line; main() prints it with a hint to run --help and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommandLine {
  ExperimentOptions options;
  std::optional<std::filesystem::path> save_path;
  bool help = false;
};

inline std::string usage(const std::string& program, ModelKind kind) {
  return "Usage: " + program + " [options]\n"
         "Trains the " + to_string(kind) + " failure classifier on machine telemetry and prints its metrics.\n"
         "Without --data-dir it trains on a synthetic fleet of 20 machines x 90 days.\n\n"
         "Options:\n"
         "  --data-dir DIR         directory with PdM_telemetry.csv and PdM_failures.csv (Azure layout)\n"
         "  --seq-len N            windows per sequence (default 30)\n"
         "  --window-width N       telemetry rows averaged into one window (default 10)\n"
         "  --window-step N        rows between the starts of consecutive windows (default 5)\n"
         "  --horizon-hours N      label rows within N hours before a failure as 1 (default 24)\n"
         "  --epochs N             training epochs (default 30)\n"
         "  --batch-size N         samples per mini-batch (default 64)\n"
         "  --learning-rate X      Adam learning rate (default 0.001)\n"
         "  --pos-weight X         loss weight of positive sequences, for rare failures (default 1)\n"
         "  --threads N            OpenMP and Eigen threads; 0 keeps the default (default 0)\n"
         "  --seed N               seed of weights, dropout, shuffling and the synthetic fleet (default 0)\n"
         "  --train-machines LIST  machine ids for training, such as 1-11 or 1,3,5-9 (default 1-11)\n"
         "  --val-machines LIST    machine ids for validation and the threshold choice (default 12-14)\n"
         "  --test-machines LIST   machine ids for the test report (default 15-20)\n"
         "  --lead-hours N         lead window of the event metrics, in hours (default 48)\n"
         "  --quiet                print only the results\n"
         "  --save PATH            write the trained model and its preprocessing to PATH\n"
         "  --help                 show this help and exit\n";
}

inline std::int64_t parse_integer(const std::string& flag, const std::string& text, std::int64_t minimum) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [pointer, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || pointer != end || value < minimum) {
    throw UsageError(flag + " must be an integer >= " + std::to_string(minimum) + ", got '" + text + "'");
  }
  return value;
}

inline double parse_positive_number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value > 0.0) || !std::isfinite(value)) {
    throw UsageError(flag + " must be a positive number, got '" + text + "'");
  }
  return value;
}

inline CommandLine parse_command_line(int argc, char** argv, ModelKind kind) {
  CommandLine command;
  command.options.model = kind;
  ExperimentOptions& o = command.options;

  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      command.help = true;
      continue;
    }
    if (flag == "--quiet") {
      o.verbose = 0;
      continue;
    }
    if (flag.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + flag + "'");
    if (i + 1 >= argc) throw UsageError("missing value after " + flag);
    const std::string value = argv[++i];

    if (flag == "--data-dir") {
      o.data_dir = value;
    } else if (flag == "--seq-len") {
      o.seq_len = parse_integer(flag, value, 1);
    } else if (flag == "--window-width") {
      o.window_width = parse_integer(flag, value, 1);
    } else if (flag == "--window-step") {
      o.window_step = parse_integer(flag, value, 1);
    } else if (flag == "--horizon-hours") {
      o.horizon_hours = parse_integer(flag, value, 1);
    } else if (flag == "--epochs") {
      o.epochs = static_cast<int>(parse_integer(flag, value, 1));
    } else if (flag == "--batch-size") {
      o.batch_size = static_cast<long>(parse_integer(flag, value, 1));
    } else if (flag == "--learning-rate") {
      o.learning_rate = parse_positive_number(flag, value);
    } else if (flag == "--pos-weight") {
      o.pos_weight = parse_positive_number(flag, value);
    } else if (flag == "--threads") {
      o.threads = static_cast<int>(parse_integer(flag, value, 0));
    } else if (flag == "--seed") {
      o.seed = static_cast<std::uint64_t>(parse_integer(flag, value, 0));
    } else if (flag == "--train-machines") {
      o.train_machines = value;
    } else if (flag == "--val-machines") {
      o.val_machines = value;
    } else if (flag == "--test-machines") {
      o.test_machines = value;
    } else if (flag == "--lead-hours") {
      o.lead_hours = parse_positive_number(flag, value);
    } else if (flag == "--save") {
      command.save_path = value;
    } else {
      throw UsageError("unknown option '" + flag + "'");
    }
  }

  if (o.data_dir && !std::filesystem::is_directory(*o.data_dir)) {
    throw UsageError("--data-dir " + o.data_dir->string() + ": directory not found");
  }
  // Checked before training, so that a typo does not cost a whole training run.
  if (command.save_path) {
    const std::filesystem::path parent = std::filesystem::absolute(*command.save_path).parent_path();
    if (!std::filesystem::is_directory(parent)) {
      throw UsageError("--save " + command.save_path->string() + ": directory " + parent.string() + " not found");
    }
  }
  return command;
}

}  // namespace tsdl::examples
