// main() of the example binaries: parse the command line, run the experiment, print, save.
#pragma once

#include <iostream>

#include "common/cli.hpp"
#include "common/experiment.hpp"
#include "common/save.hpp"

namespace tsdl::examples {

inline int run_main(int argc, char** argv, ModelKind kind) {
  const std::string program = std::filesystem::path(argv[0]).filename().string();
  CommandLine command;
  try {
    command = parse_command_line(argc, argv, kind);
  } catch (const UsageError& error) {
    std::cerr << program << ": " << error.what() << " (run " << program << " --help for the options)\n";
    return 2;
  }
  if (command.help) {
    std::cout << usage(program, kind);
    return 0;
  }

  try {
    const ExperimentOptions& options = command.options;
    const PreparedData data = prepare_data(options);
    if (options.verbose > 0) print_data_summary(std::cout, data);
    Sequential<float> model;
    const ExperimentResult result = run_experiment(options, data, model, std::cout);
    print_results(std::cout, data, result);
    if (command.save_path) {
      save_trained_model(model, *command.save_path, options, data, result);
      std::cout << "\nSaved the model to " << command.save_path->string() << "\n";
    }
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace tsdl::examples
