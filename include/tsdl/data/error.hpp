// DataError: the exception type for invalid input files and invalid data-pipeline arguments.
#pragma once

#include <stdexcept>
#include <string>

namespace tsdl::data {

// Raised for input that cannot be read or used: a malformed CSV row, an invalid timestamp, a
// missing column, a corrupt scaler file or a sequence length no machine can satisfy. Messages from
// file readers start with "FILE:LINE:" and name the column and the offending value.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tsdl::data
