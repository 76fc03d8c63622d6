// LayerSpec: a layer's type, name and constructor arguments, and their encoding in a model file.
//
// Encoding of one layer (all integers little-endian, strings as u32 length + bytes):
//   string type          Layer::type_name(): Dense, Conv1D, MaxPool1D, LSTM, Dropout, Flatten,
//                        Activation or TimeDistributed
//   string name          instance name, such as "conv1d_1"
//   arguments by type:
//     Dense              i64 units, string activation
//     Conv1D             i64 filters, i64 kernel_size, i64 strides, string padding, string activation
//     MaxPool1D          i64 pool_size, i64 strides, string padding
//     LSTM               i64 units, u8 return_sequences (0 or 1)
//     Dropout            f64 rate
//     Activation         string activation
//     Flatten            nothing
//     TimeDistributed    the inner layer, encoded the same way
// Activations and paddings are stored by name ("relu", "same"), so reordering the C++ enums cannot
// change the meaning of a saved file.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/tsdl.hpp"
#include "tsdl/serialization/binary_io.hpp"

namespace tsdl::serialization {

// Largest integer argument or input dimension a file may contain. Real layers are far smaller, and
// the cap keeps products of two such values from overflowing 64 bits.
inline constexpr std::int64_t kMaxLayerArgument = std::numeric_limits<std::int32_t>::max();

// Deepest nesting of TimeDistributed layers that a file may contain.
inline constexpr int kMaxLayerDepth = 4;

// Type, name and constructor arguments of one layer. Fields that the type does not use keep their
// defaults, so two specs of the same layer compare equal.
struct LayerSpec {
  std::string type;
  std::string name;
  std::int64_t units = 0;        // Dense, LSTM
  std::int64_t filters = 0;      // Conv1D
  std::int64_t kernel_size = 0;  // Conv1D
  std::int64_t pool_size = 0;    // MaxPool1D
  std::int64_t strides = 0;      // Conv1D, MaxPool1D
  std::string padding;           // Conv1D, MaxPool1D
  std::string activation;        // Dense, Conv1D, Activation
  bool return_sequences = false;  // LSTM
  double rate = 0.0;              // Dropout
  std::vector<LayerSpec> inner;   // TimeDistributed: its one inner layer

  // Compares type and arguments recursively, ignoring names.
  bool same_architecture(const LayerSpec& other) const {
    if (type != other.type || units != other.units || filters != other.filters ||
        kernel_size != other.kernel_size || pool_size != other.pool_size || strides != other.strides ||
        padding != other.padding || activation != other.activation ||
        return_sequences != other.return_sequences || rate != other.rate || inner.size() != other.inner.size()) {
      return false;
    }
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (!inner[i].same_architecture(other.inner[i])) return false;
    }
    return true;
  }
};

// Formats a spec as a constructor call, such as "Conv1D(filters=64, kernel_size=3, strides=1,
// padding=valid, activation=relu)", for error messages.
inline std::string to_string(const LayerSpec& spec) {
  const std::string& t = spec.type;
  std::string arguments;
  if (t == "Dense") {
    arguments = "units=" + std::to_string(spec.units) + ", activation=" + spec.activation;
  } else if (t == "Conv1D") {
    arguments = "filters=" + std::to_string(spec.filters) + ", kernel_size=" + std::to_string(spec.kernel_size) +
                ", strides=" + std::to_string(spec.strides) + ", padding=" + spec.padding +
                ", activation=" + spec.activation;
  } else if (t == "MaxPool1D") {
    arguments = "pool_size=" + std::to_string(spec.pool_size) + ", strides=" + std::to_string(spec.strides) +
                ", padding=" + spec.padding;
  } else if (t == "LSTM") {
    arguments = "units=" + std::to_string(spec.units) +
                ", return_sequences=" + (spec.return_sequences ? "true" : "false");
  } else if (t == "Dropout") {
    arguments = "rate=" + std::to_string(spec.rate);
  } else if (t == "Activation") {
    arguments = spec.activation;
  } else if (t == "TimeDistributed" && !spec.inner.empty()) {
    arguments = to_string(spec.inner.front());
  }
  return t + "(" + arguments + ")";
}

// Describes a layer of one of the eight tsdl layer types. Throws std::invalid_argument for any
// other Layer subclass, because load_model() could not recreate it.
template <typename T>
LayerSpec describe_layer(const Layer<T>& layer) {
  LayerSpec spec;
  spec.type = layer.type_name();
  spec.name = layer.name();
  if (const auto* dense = dynamic_cast<const Dense<T>*>(&layer)) {
    spec.units = dense->units();
    spec.activation = tsdl::to_string(dense->activation());
  } else if (const auto* conv = dynamic_cast<const Conv1D<T>*>(&layer)) {
    spec.filters = conv->filters();
    spec.kernel_size = conv->kernel_size();
    spec.strides = conv->strides();
    spec.padding = tsdl::to_string(conv->padding());
    spec.activation = tsdl::to_string(conv->activation());
  } else if (const auto* pool = dynamic_cast<const MaxPool1D<T>*>(&layer)) {
    spec.pool_size = pool->pool_size();
    spec.strides = pool->strides();
    spec.padding = tsdl::to_string(pool->padding());
  } else if (const auto* lstm = dynamic_cast<const LSTM<T>*>(&layer)) {
    spec.units = lstm->units();
    spec.return_sequences = lstm->return_sequences();
  } else if (const auto* dropout = dynamic_cast<const Dropout<T>*>(&layer)) {
    spec.rate = dropout->rate();
  } else if (const auto* activation = dynamic_cast<const Activation<T>*>(&layer)) {
    spec.activation = tsdl::to_string(activation->kind());
  } else if (dynamic_cast<const Flatten<T>*>(&layer) != nullptr) {
    // No arguments.
  } else if (const auto* distributed = dynamic_cast<const TimeDistributed<T>*>(&layer)) {
    spec.inner.push_back(describe_layer(distributed->layer()));
  } else {
    throw std::invalid_argument("cannot save layer '" + layer.name() + "' of type " + layer.type_name() +
                                ": model files support Dense, Conv1D, MaxPool1D, LSTM, Dropout, Flatten, "
                                "Activation and TimeDistributed");
  }
  return spec;
}

inline void write_layer_spec(ByteWriter& out, const LayerSpec& spec) {
  out.string(spec.type);
  out.string(spec.name);
  const std::string& t = spec.type;
  if (t == "Dense") {
    out.i64(spec.units);
    out.string(spec.activation);
  } else if (t == "Conv1D") {
    out.i64(spec.filters);
    out.i64(spec.kernel_size);
    out.i64(spec.strides);
    out.string(spec.padding);
    out.string(spec.activation);
  } else if (t == "MaxPool1D") {
    out.i64(spec.pool_size);
    out.i64(spec.strides);
    out.string(spec.padding);
  } else if (t == "LSTM") {
    out.i64(spec.units);
    out.u8(spec.return_sequences ? 1 : 0);
  } else if (t == "Dropout") {
    out.f64(spec.rate);
  } else if (t == "Activation") {
    out.string(spec.activation);
  } else if (t == "TimeDistributed") {
    write_layer_spec(out, spec.inner.at(0));
  }
}

namespace detail {

inline std::int64_t read_layer_argument(ByteReader& in, const char* field) {
  const std::int64_t value = in.i64(field);
  if (value < 1 || value > kMaxLayerArgument) {
    in.fail(std::string(field) + " is " + std::to_string(value) + "; expected a value in [1, " +
            std::to_string(kMaxLayerArgument) + "]");
  }
  return value;
}

inline std::string read_activation(ByteReader& in) {
  std::string name = in.string("activation");
  try {
    parse_activation(name);
  } catch (const std::invalid_argument& error) {
    in.fail(error.what());
  }
  return name;
}

inline std::string read_padding(ByteReader& in) {
  std::string name = in.string("padding");
  try {
    parse_padding(name);
  } catch (const std::invalid_argument& error) {
    in.fail(error.what());
  }
  return name;
}

}  // namespace detail

// Reads one layer written by write_layer_spec(). `depth` counts the enclosing TimeDistributed layers.
inline LayerSpec read_layer_spec(ByteReader& in, int depth = 0) {
  LayerSpec spec;
  spec.type = in.string("layer type");
  spec.name = in.string("layer name");
  const std::string& t = spec.type;
  if (t == "Dense") {
    spec.units = detail::read_layer_argument(in, "Dense units");
    spec.activation = detail::read_activation(in);
  } else if (t == "Conv1D") {
    spec.filters = detail::read_layer_argument(in, "Conv1D filters");
    spec.kernel_size = detail::read_layer_argument(in, "Conv1D kernel_size");
    spec.strides = detail::read_layer_argument(in, "Conv1D strides");
    spec.padding = detail::read_padding(in);
    spec.activation = detail::read_activation(in);
  } else if (t == "MaxPool1D") {
    spec.pool_size = detail::read_layer_argument(in, "MaxPool1D pool_size");
    spec.strides = detail::read_layer_argument(in, "MaxPool1D strides");
    spec.padding = detail::read_padding(in);
  } else if (t == "LSTM") {
    spec.units = detail::read_layer_argument(in, "LSTM units");
    const std::uint8_t flag = in.u8("LSTM return_sequences");
    if (flag > 1) in.fail("LSTM return_sequences is " + std::to_string(flag) + "; expected 0 or 1");
    spec.return_sequences = flag == 1;
  } else if (t == "Dropout") {
    spec.rate = in.f64("Dropout rate");
    if (!(spec.rate >= 0.0 && spec.rate < 1.0)) in.fail("Dropout rate is " + std::to_string(spec.rate) + "; expected [0, 1)");
  } else if (t == "Activation") {
    spec.activation = detail::read_activation(in);
  } else if (t == "Flatten") {
    // No arguments.
  } else if (t == "TimeDistributed") {
    if (depth + 1 >= kMaxLayerDepth) {
      in.fail("TimeDistributed layers are nested more than " + std::to_string(kMaxLayerDepth - 1) + " deep");
    }
    spec.inner.push_back(read_layer_spec(in, depth + 1));
  } else {
    in.fail("unknown layer type '" + t + "'");
  }
  return spec;
}

// Creates an unbuilt layer from `spec`, with its name (and the names of inner layers) set. Throws
// std::invalid_argument when a layer constructor rejects an argument.
template <typename T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec) {
  std::unique_ptr<Layer<T>> layer;
  const std::string& t = spec.type;
  if (t == "Dense") {
    layer = std::make_unique<Dense<T>>(spec.units, parse_activation(spec.activation));
  } else if (t == "Conv1D") {
    layer = std::make_unique<Conv1D<T>>(spec.filters, spec.kernel_size, spec.strides, parse_padding(spec.padding),
                                        parse_activation(spec.activation));
  } else if (t == "MaxPool1D") {
    layer = std::make_unique<MaxPool1D<T>>(spec.pool_size, spec.strides, parse_padding(spec.padding));
  } else if (t == "LSTM") {
    layer = std::make_unique<LSTM<T>>(spec.units, spec.return_sequences);
  } else if (t == "Dropout") {
    layer = std::make_unique<Dropout<T>>(spec.rate);
  } else if (t == "Activation") {
    layer = std::make_unique<Activation<T>>(parse_activation(spec.activation));
  } else if (t == "Flatten") {
    layer = std::make_unique<Flatten<T>>();
  } else if (t == "TimeDistributed" && spec.inner.size() == 1) {
    layer = std::make_unique<TimeDistributed<T>>(make_layer<T>(spec.inner.front()));
  } else {
    throw std::invalid_argument("unsupported layer spec " + to_string(spec));
  }
  layer->set_name(spec.name);
  return layer;
}

namespace detail {

inline std::int64_t saturating_multiply(std::int64_t a, std::int64_t b) {
  if (a <= 0 || b <= 0) return 0;
  if (a > std::numeric_limits<std::int64_t>::max() / b) return std::numeric_limits<std::int64_t>::max();
  return a * b;
}

inline std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  if (a > std::numeric_limits<std::int64_t>::max() - b) return std::numeric_limits<std::int64_t>::max();
  return a + b;
}

}  // namespace detail

// Returns the number of weights that building `spec` for `input_shape` would allocate, saturated
// at INT64_MAX, or 0 when the shape does not fit the layer (build() then reports the error). The
// loader compares this with the weights the file stores before building, so that a file whose
// arguments do not match its weights cannot make build() allocate gigabytes.
inline std::int64_t parameter_count(const LayerSpec& spec, const Shape& input_shape) {
  using detail::saturating_add;
  using detail::saturating_multiply;
  const std::string& t = spec.type;
  if (t == "Dense" && !input_shape.empty()) {
    return saturating_add(saturating_multiply(input_shape.back(), spec.units), spec.units);
  }
  if (t == "Conv1D" && input_shape.size() == 2) {
    const std::int64_t kernel = saturating_multiply(saturating_multiply(spec.kernel_size, input_shape[1]), spec.filters);
    return saturating_add(kernel, spec.filters);
  }
  if (t == "LSTM" && input_shape.size() == 2) {
    const std::int64_t gates = saturating_multiply(4, spec.units);
    const std::int64_t kernel = saturating_multiply(input_shape[1], gates);
    const std::int64_t recurrent = saturating_multiply(spec.units, gates);
    return saturating_add(saturating_add(kernel, recurrent), gates);
  }
  if (t == "TimeDistributed" && input_shape.size() >= 2 && spec.inner.size() == 1) {
    return parameter_count(spec.inner.front(), Shape(input_shape.begin() + 1, input_shape.end()));
  }
  return 0;
}

}  // namespace tsdl::serialization
