// Helpers shared by the test executables.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <doctest/doctest.h>

namespace tsdl_test {

// Returns the directory with the Azure predictive-maintenance CSVs: $TSDL_AZURE_PDM_DIR if set,
// else the path configured in CMake. Returns nullopt when the files are missing, after failing the
// current test if CI=true, because CI must never skip the real-data checks.
inline std::optional<std::filesystem::path> azure_pdm_dir() {
  const char* from_env = std::getenv("TSDL_AZURE_PDM_DIR");
  std::filesystem::path dir = from_env != nullptr ? from_env : TSDL_AZURE_PDM_DIR_DEFAULT;
  if (std::filesystem::exists(dir / "PdM_telemetry.csv") &&
      std::filesystem::exists(dir / "PdM_failures.csv")) {
    return dir;
  }
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    FAIL("Azure PdM data not found in " << dir.string()
                                        << "; set TSDL_AZURE_PDM_DIR to the directory with PdM_telemetry.csv");
  }
  MESSAGE("skipping: Azure PdM data not found in " << dir.string() << " (set TSDL_AZURE_PDM_DIR)");
  return std::nullopt;
}

}  // namespace tsdl_test
