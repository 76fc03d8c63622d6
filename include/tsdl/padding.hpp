// Padding modes shared by Conv1D and MaxPool1D, with Keras's output-length rules.
#pragma once

#include <stdexcept>
#include <string>

#include "tsdl/tensor.hpp"

namespace tsdl {

enum class Padding { valid, same };

inline std::string to_string(Padding padding) { return padding == Padding::valid ? "valid" : "same"; }

// Parses "valid" or "same"; any other string throws instead of silently falling back.
inline Padding parse_padding(const std::string& name) {
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  throw std::invalid_argument("unknown padding '" + name + "': expected 'valid' or 'same'");
}

// Output length and left padding of a sliding window of size `window` moved by `strides` over
// `length` positions:
//   valid: output = floor((length - window) / strides) + 1, no padding (0 when window > length)
//   same:  output = ceil(length / strides); the total padding max((output - 1) * strides + window -
//          length, 0) is split with the smaller half on the left, as TensorFlow does.
struct WindowGeometry {
  Index output_length;
  Index pad_left;
  Index padded_length;
};

inline WindowGeometry window_geometry(Index length, Index window, Index strides, Padding padding) {
  if (padding == Padding::valid) {
    const Index output = length >= window ? (length - window) / strides + 1 : 0;
    return {output, 0, length};
  }
  const Index output = (length + strides - 1) / strides;
  Index pad_total = (output - 1) * strides + window - length;
  if (pad_total < 0) pad_total = 0;
  return {output, pad_total / 2, length + pad_total};
}

}  // namespace tsdl
