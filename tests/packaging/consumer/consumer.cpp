// Builds a small dense classifier on synthetic telemetry, trains it for two epochs and checks the
// training history and the predictions. Returns 0 and prints one summary line on success.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

#include <tsdl/data.hpp>
#include <tsdl/tsdl.hpp>

int main() {
  tsdl::data::SyntheticOptions fleet_options;
  fleet_options.machines = 3;
  fleet_options.days = 10;
  fleet_options.seed = 3;
  const tsdl::data::TelemetrySet fleet = tsdl::data::generate_fleet(fleet_options);

  tsdl::data::PipelineOptions pipeline;
  pipeline.sequences.seq_len = 6;
  const tsdl::data::SequenceSet sequences = tsdl::data::build_sequences(fleet, pipeline);

  tsdl::Tensor<float> x({sequences.count, sequences.seq_len, sequences.features});
  std::copy(sequences.values.begin(), sequences.values.end(), x.data());
  // The synthetic sensor values lie between about 20 and 650, so dividing by 500 brings them near 1.
  for (tsdl::Index i = 0; i < x.size(); ++i) x[i] /= 500.0f;
  tsdl::Tensor<float> y({sequences.count, 1});
  std::copy(sequences.targets.begin(), sequences.targets.end(), y.data());

  tsdl::Sequential<float> model;
  model.add(tsdl::Flatten<float>());
  model.add(tsdl::Dense<float>(8, tsdl::ActivationKind::relu));
  model.add(tsdl::Dense<float>(1, tsdl::ActivationKind::sigmoid));
  model.build({sequences.seq_len, sequences.features}, /*seed=*/5);
  model.compile(tsdl::BinaryCrossEntropy(), std::make_unique<tsdl::Adam<float>>(1e-2));

  tsdl::FitOptions fit;
  fit.epochs = 2;
  fit.batch_size = 16;
  const tsdl::History history = model.fit(x, y, fit);
  if (history.loss.size() != 2) {
    std::cerr << "expected 2 epochs in the history, got " << history.loss.size() << "\n";
    return 1;
  }
  for (double loss : history.loss) {
    if (!std::isfinite(loss)) {
      std::cerr << "training loss is not finite: " << loss << "\n";
      return 1;
    }
  }

  const tsdl::Tensor<float> probabilities = model.predict(x);
  if (probabilities.shape() != tsdl::Shape{sequences.count, 1}) {
    std::cerr << "predict() returned shape " << tsdl::shape_to_string(probabilities.shape()) << ", expected ("
              << sequences.count << ", 1)\n";
    return 1;
  }
  for (tsdl::Index i = 0; i < probabilities.size(); ++i) {
    if (!(probabilities[i] >= 0.0f && probabilities[i] <= 1.0f)) {
      std::cerr << "probability " << i << " is " << probabilities[i] << ", outside [0, 1]\n";
      return 1;
    }
  }

  std::cout << "tsdl consumer: trained on " << sequences.count << " sequences, loss " << history.loss.front() << " -> "
            << history.loss.back() << "\n";
  return 0;
}
