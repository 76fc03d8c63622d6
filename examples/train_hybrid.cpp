// Trains the hybrid failure classifier; see --help for the options.
#include "common/run_main.hpp"

int main(int argc, char** argv) { return tsdl::examples::run_main(argc, argv, tsdl::examples::ModelKind::hybrid); }
