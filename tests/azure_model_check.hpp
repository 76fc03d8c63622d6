// Shared body of the real-data model tests: train one classifier briefly on the Azure telemetry
// (machines 1-11 train, 12-14 validation, 15-20 test) and check that it ranks the test machines'
// failure windows well above chance.
#pragma once

#include <iostream>

#include <doctest/doctest.h>

#include "common/experiment.hpp"
#include "test_support.hpp"

namespace tsdl_test {

inline void check_model_learns_azure(tsdl::examples::ModelKind kind, int epochs) {
  const auto dir = azure_pdm_dir();
  if (!dir) return;

  tsdl::examples::ExperimentOptions options;
  options.model = kind;
  options.data_dir = *dir;
  options.epochs = epochs;
  options.verbose = 0;
  const auto data = tsdl::examples::prepare_data(options);
  tsdl::Sequential<float> model;
  const auto result = tsdl::examples::run_experiment(options, data, model, std::cout);

  MESSAGE("test ROC-AUC " << result.test.at_half.roc_auc << ", average precision "
                          << result.test.at_half.average_precision << " after " << epochs << " epochs");
  CHECK(data.test.sequences.count == 2412);
  CHECK(result.test.at_half.roc_auc >= 0.8);
}

}  // namespace tsdl_test
