// The stacked LSTM learns failure precursors from the real Azure telemetry.
#include "azure_model_check.hpp"

TEST_CASE("Stacked LSTM on Azure telemetry") {
  tsdl_test::check_model_learns_azure(tsdl::examples::ModelKind::lstm, 15);
}
