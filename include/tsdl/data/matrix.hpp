// RowMatrix: the row-major matrix type for telemetry rows and window averages.
#pragma once

#include <Eigen/Core>

namespace tsdl::data {

// Rows are time steps and columns are features, so one time step is contiguous in memory.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace tsdl::data
