// Input checks shared by the tsdl::metrics functions.
//
// Every metric accepts its inputs as any container with size() and operator[] (std::vector<float>,
// std::vector<double>, std::vector<int>, Eigen vectors, ...), so callers need not copy their data
// into a particular type. The checks throw std::invalid_argument with a message that names the
// metric, the offending index and its value.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tsdl::metrics::detail {

// Formats one input element for an error message. Floating-point values get enough digits to tell
// e.g. 0.99999999 apart from 1, and integers print as integers.
template <class Value>
std::string format_value(const Value& value) {
  std::ostringstream out;
  if constexpr (std::is_same_v<Value, bool>) {
    out << (value ? 1 : 0);
  } else if constexpr (std::is_integral_v<Value>) {
    out << +value;  // unary + prints char-sized integers as numbers
  } else if constexpr (std::is_floating_point_v<Value>) {
    out.precision(std::numeric_limits<Value>::max_digits10);
    out << value;
  } else {
    // Proxy element types such as std::vector<bool>::reference.
    out.precision(std::numeric_limits<double>::max_digits10);
    out << static_cast<double>(value);
  }
  return out.str();
}

template <class Container>
std::size_t container_size(const Container& values) {
  return static_cast<std::size_t>(values.size());
}

// Returns values[index], converting the index to the container's own size type (signed
// Eigen::Index for Eigen vectors).
template <class Container>
decltype(auto) element(const Container& values, std::size_t index) {
  return values[static_cast<decltype(values.size())>(index)];
}

template <class Container>
double element_as_double(const Container& values, std::size_t index) {
  return static_cast<double>(element(values, index));
}

inline std::string message_prefix(const char* function) {
  return std::string("tsdl::metrics::") + function + ": ";
}

// Throws std::invalid_argument unless `first` and `second` have the same number of elements.
template <class First, class Second>
void check_same_length(const First& first, const Second& second, const char* first_name,
                       const char* second_name, const char* function) {
  const std::size_t first_size = container_size(first);
  const std::size_t second_size = container_size(second);
  if (first_size != second_size) {
    throw std::invalid_argument(message_prefix(function) + first_name + " have " +
                                std::to_string(first_size) + " elements but " + second_name +
                                " have " + std::to_string(second_size) +
                                "; they must have the same length");
  }
}

// Throws std::invalid_argument naming the first label that is not exactly 0 or 1.
template <class Labels>
void check_binary_labels(const Labels& labels, const char* function) {
  const std::size_t size = container_size(labels);
  for (std::size_t i = 0; i < size; ++i) {
    const double label = element_as_double(labels, i);
    if (label != 0.0 && label != 1.0) {
      throw std::invalid_argument(message_prefix(function) + "label at index " + std::to_string(i) +
                                  " is " + format_value(element(labels, i)) +
                                  ", but labels must be exactly 0 or 1");
    }
  }
}

// Throws std::invalid_argument naming the first NaN score. Infinite scores are accepted because
// they still have a well-defined order and compare with a threshold.
template <class Scores>
void check_scores_not_nan(const Scores& scores, const char* function) {
  const std::size_t size = container_size(scores);
  for (std::size_t i = 0; i < size; ++i) {
    if (std::isnan(element_as_double(scores, i))) {
      throw std::invalid_argument(message_prefix(function) + "score at index " + std::to_string(i) +
                                  " is " + format_value(element(scores, i)) +
                                  "; remove or impute NaN scores before computing metrics");
    }
  }
}

inline void check_threshold(double threshold, const char* function) {
  if (std::isnan(threshold)) {
    throw std::invalid_argument(message_prefix(function) +
                                "threshold is nan; pass a number such as 0.5");
  }
}

// Runs all checks on a (scores, labels) pair and returns the common length.
template <class Scores, class Labels>
std::size_t validate_scores_and_labels(const Scores& scores, const Labels& labels,
                                       const char* function) {
  check_same_length(scores, labels, "scores", "labels", function);
  check_scores_not_nan(scores, function);
  check_binary_labels(labels, function);
  return container_size(scores);
}

// Returns numerator / denominator, or 0 when the denominator is 0. This is the 0/0 = 0 rule that
// all tsdl::metrics ratios follow.
inline double divide_or_zero(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

}  // namespace tsdl::metrics::detail
