// Reruns the original study's comparisons and prints them as Markdown tables:
//   1. each model at seq_len 30 and 40, mean and range over --seeds seeds;
//   2. the stacked LSTM over window width {1, 5, 10, 20} x window step {1, 3, 5, 7}, seed 0.
// Every run uses the examples' pipeline: machines 1-11 train, 12-14 validation, 15-20 test.
#include <algorithm>
#include <iostream>
#include <numeric>

#include "common/cli.hpp"
#include "common/experiment.hpp"

using namespace tsdl;
using namespace tsdl::examples;

namespace {

struct Summary {
  std::vector<double> roc_auc, average_precision, f1, detected, false_alarms, epoch_seconds;
};

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::string mean_and_range(const std::vector<double>& values, int precision) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(precision) << mean(values);
  if (values.size() > 1) {
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    out << " (" << *low << "-" << *high << ")";
  }
  return out.str();
}

void run_once(const ExperimentOptions& options, Summary& summary) {
  const PreparedData data = prepare_data(options);
  Sequential<float> model;
  const ExperimentResult result = run_experiment(options, data, model, std::cerr);
  summary.roc_auc.push_back(result.test.at_half.roc_auc);
  summary.average_precision.push_back(result.test.at_half.average_precision);
  summary.f1.push_back(result.test.at_best.report.per_class[1].f1);
  summary.detected.push_back(static_cast<double>(result.test.events.failures_detected) /
                             static_cast<double>(result.test.events.failures_total));
  summary.false_alarms.push_back(result.test.events.false_alarms_per_machine_month);
  summary.epoch_seconds.push_back(result.median_epoch_seconds);
  std::cerr << to_string(options.model) << " seq_len " << options.seq_len << " width " << options.window_width
            << " step " << options.window_step << " seed " << options.seed << ": ROC-AUC " << result.test.at_half.roc_auc
            << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<std::string> data_dir;
    int seeds = 3, epochs = 30;
    bool grid = true;
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--help") {
        std::cout << "Usage: tsdl_study [--data-dir DIR] [--seeds N] [--epochs N] [--no-grid]\n"
                     "Prints Markdown tables of test-machine metrics: each model at seq_len 30 and 40 (mean and\n"
                     "range over N seeds, default 3), then the LSTM over window width x step (seed 0) unless\n"
                     "--no-grid. Progress goes to standard error.\n";
        return 0;
      }
      if (flag == "--no-grid") {
        grid = false;
        continue;
      }
      if (i + 1 >= argc) throw UsageError("missing value after " + flag);
      const std::string value = argv[++i];
      if (flag == "--data-dir") data_dir = value;
      else if (flag == "--seeds") seeds = static_cast<int>(parse_integer(flag, value, 1));
      else if (flag == "--epochs") epochs = static_cast<int>(parse_integer(flag, value, 1));
      else throw UsageError("unknown option '" + flag + "'");
    }

    ExperimentOptions base;
    if (data_dir) base.data_dir = *data_dir;
    base.epochs = epochs;
    base.verbose = 0;

    std::cout << "## Test machines by model and sequence length\n\n"
              << epochs << " epochs, batch 64, Adam 1e-3, window width 10, step 5, 24 h labels; mean (min-max) over "
              << seeds << " seeds. F1 at the threshold with the best F1 on the validation machines; events with a 48 h "
                 "lead window at that threshold.\n\n"
              << "| model | seq_len | ROC-AUC | average precision | F1 at best validation threshold | failures detected | "
                 "false alarms per machine-month | seconds per epoch |\n"
              << "|---|---|---|---|---|---|---|---|\n";
    for (ModelKind kind : {ModelKind::cnn, ModelKind::lstm, ModelKind::hybrid}) {
      for (std::int64_t seq_len : {30, 40}) {
        Summary summary;
        for (int seed = 0; seed < seeds; ++seed) {
          ExperimentOptions options = base;
          options.model = kind;
          options.seq_len = seq_len;
          options.seed = static_cast<std::uint64_t>(seed);
          run_once(options, summary);
        }
        std::cout << "| " << to_string(kind) << " | " << seq_len << " | " << mean_and_range(summary.roc_auc, 3) << " | "
                  << mean_and_range(summary.average_precision, 3) << " | " << mean_and_range(summary.f1, 3) << " | "
                  << mean_and_range(summary.detected, 2) << " | " << mean_and_range(summary.false_alarms, 2) << " | "
                  << mean_and_range(summary.epoch_seconds, 2) << " |" << std::endl;
      }
    }

    if (grid) {
      std::cout << "\n## Stacked LSTM by window width and step\n\nTest ROC-AUC / average precision, seq_len 30, seed 0, "
                << epochs << " epochs.\n\n| width \\ step | 1 | 3 | 5 | 7 |\n|---|---|---|---|---|\n";
      for (std::int64_t width : {1, 5, 10, 20}) {
        std::cout << "| " << width;
        for (std::int64_t step : {1, 3, 5, 7}) {
          ExperimentOptions options = base;
          options.model = ModelKind::lstm;
          options.window_width = width;
          options.window_step = step;
          Summary summary;
          run_once(options, summary);
          std::cout << " | " << std::fixed << std::setprecision(3) << summary.roc_auc[0] << " / "
                    << summary.average_precision[0] << std::defaultfloat << std::flush;
        }
        std::cout << " |" << std::endl;
      }
    }
  } catch (const UsageError& error) {
    std::cerr << "tsdl_study: " << error.what() << " (run tsdl_study --help)\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "tsdl_study: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
