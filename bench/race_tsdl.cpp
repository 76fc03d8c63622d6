// tsdl's side of the race against PyTorch (bench/race_pytorch.py runs it).
//
// Prepares the sequences exactly as the example binaries do, writes the training sequences to
// --export PATH (raw little-endian float32: x of shape (count, seq_len, features), then y of shape
// (count)), then for each model trains --epochs epochs with batch 64 and prints one JSON line:
//   {"model": "cnn", "threads": 2, "epoch_seconds": [...], "score_one_seconds": median}
// score_one_seconds is the median time of predict() on a single sequence, over 200 calls.
// --export-test PATH writes the test machines' sequences in the same layout, for
// bench/accuracy_pytorch.py.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/experiment.hpp"

using namespace tsdl;

namespace {

void export_sequences(const examples::SplitData& split, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot open " + path + " for writing");
  const auto& s = split.sequences;
  out.write(reinterpret_cast<const char*>(s.values.data()), static_cast<std::streamsize>(s.values.size() * sizeof(float)));
  out.write(reinterpret_cast<const char*>(s.targets.data()), static_cast<std::streamsize>(s.targets.size() * sizeof(float)));
  if (!out) throw std::runtime_error("failed writing " + path);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::optional<std::string> data_dir, export_path, export_test_path;
    int epochs = 3, threads = 1;
    std::vector<std::string> model_names = {"cnn", "lstm", "hybrid"};
    for (int i = 1; i + 1 < argc; i += 2) {
      const std::string flag = argv[i], value = argv[i + 1];
      if (flag == "--data-dir") data_dir = value;
      else if (flag == "--export") export_path = value;
      else if (flag == "--export-test") export_test_path = value;
      else if (flag == "--epochs") epochs = std::stoi(value);
      else if (flag == "--threads") threads = std::stoi(value);
      else if (flag == "--models") {
        model_names.clear();
        std::stringstream list(value);
        for (std::string name; std::getline(list, name, ',');) model_names.push_back(name);
      } else throw std::invalid_argument("unknown option " + flag);
    }

    examples::ExperimentOptions options;
    if (data_dir) options.data_dir = *data_dir;
    options.threads = threads;
    options.epochs = epochs;
    options.verbose = 0;
    omp_set_num_threads(threads);
    Eigen::setNbThreads(threads);

    bool exported = false;
    for (const std::string& name : model_names) {
      options.model = name == "cnn" ? examples::ModelKind::cnn : name == "lstm" ? examples::ModelKind::lstm
                                                                                : examples::ModelKind::hybrid;
      const examples::PreparedData data = examples::prepare_data(options);
      // Every model sees the same sequences, so the first model's data is exported.
      if (!exported) {
        if (export_path) {
          export_sequences(data.train, *export_path);
          std::cerr << "exported " << data.train.sequences.count << " sequences to " << *export_path << "\n";
        }
        if (export_test_path) {
          export_sequences(data.test, *export_test_path);
          std::cerr << "exported " << data.test.sequences.count << " test sequences to " << *export_test_path << "\n";
        }
        exported = true;
      }
      Sequential<float> model = examples::make_model(options, static_cast<std::int64_t>(data.feature_names.size()));
      model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>(1e-3));
      FitOptions fit;
      fit.epochs = epochs;
      fit.batch_size = 64;
      const History history = model.fit(data.train.x, data.train.y, fit);

      Shape one_shape = data.test.x.shape();
      one_shape[0] = 1;
      Tensor<float> one(one_shape);
      std::copy(data.test.x.data(), data.test.x.data() + one.size(), one.data());
      std::vector<double> score_seconds;
      for (int call = 0; call < 200; ++call) {
        const auto start = std::chrono::steady_clock::now();
        const Tensor<float>& p = model.forward(one, false);
        if (!(p[0] >= 0.0f)) throw std::runtime_error("invalid score");
        score_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      }

      std::cout << "{\"model\": \"" << name << "\", \"threads\": " << threads << ", \"sequences\": "
                << data.train.sequences.count << ", \"epoch_seconds\": [";
      for (std::size_t e = 0; e < history.epochs.size(); ++e) {
        std::cout << (e ? ", " : "") << history.epochs[e].seconds;
      }
      std::cout << "], \"score_one_seconds\": " << median(score_seconds) << "}" << std::endl;
    }
  } catch (const std::exception& error) {
    std::cerr << "race_tsdl: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
