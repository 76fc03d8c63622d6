// Model files: one file with a Sequential model's architecture, input shape, weights, scoring
// configuration and, optionally, its optimizer state.
//
// Byte layout, format version 1 (integers little-endian, strings as u32 length + bytes):
//   offset  size  field
//   0       8     magic "TSDLMODL"
//   8       4     u32 format version = 1
//   12      8     u64 payload size N
//   20      N     payload: a sequence of sections
//   20 + N  4     u32 CRC-32C (Castagnoli) of bytes [0, 20 + N), header included
// The file size must be exactly 24 + N. Each section is a 4-byte ASCII tag, a u64 body size and the
// body. Version 1 has these sections, each at most once, in any order:
//   ARCH  required  u32 input rank, i64 dims (the sample shape given to Sequential::build());
//                   u32 layer count, then each layer as layer_spec.hpp describes
//   WGHT  required  u8 weight type (4 = float32, 8 = float64); u32 tensor count; each tensor is
//                   string layer name, string parameter name ("kernel", "recurrent_kernel",
//                   "bias"), u32 rank, i64 dims, values row-major, in Sequential::parameters() order
//   SCOR  required  the ScoringConfig: string model_kind; u32 count + feature names; string
//                   scaler_kind; u32 count + f64 offsets; u32 count + f64 scales; i64 window_width,
//                   window_step, seq_len, horizon_hours; f64 threshold; u32 count + key/value strings
//   OPTM  optional  string kind ("Adam" or "SGD"); f64 learning_rate, f64 clipnorm, i64 iterations;
//                   Adam: f64 beta1, beta2, epsilon; SGD: f64 momentum; u8 weight type; u32 tensor
//                   count; each state tensor as u32 rank, i64 dims, values (Optimizer::state_tensors())
//
// Weights are stored in the model's scalar type. Loading converts between float and double: float
// to double is exact, double to float rounds to nearest and rejects finite values beyond float's
// range. Only a model loaded with the type it was saved with predicts bit-identically.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "tsdl/serialization/binary_io.hpp"
#include "tsdl/serialization/crc32c.hpp"
#include "tsdl/serialization/error.hpp"
#include "tsdl/serialization/file_io.hpp"
#include "tsdl/serialization/layer_spec.hpp"
#include "tsdl/serialization/scoring_config.hpp"
#include "tsdl/tsdl.hpp"

namespace tsdl {

// Scalar type of the weights stored in a model file; the value is the size in bytes.
enum class WeightType : std::uint8_t { float32 = 4, float64 = 8 };

inline std::string to_string(WeightType type) { return type == WeightType::float32 ? "float32" : "float64"; }

// Result of load_model(): a built model with its weights, and what else the file stored.
template <typename T>
struct LoadedModel {
  Sequential<T> model;
  ScoringConfig config;
  // True when the file stored an optimizer; the model is then compiled with it, its state
  // restored, and BinaryCrossEntropy() as the loss.
  bool has_optimizer = false;
  // Weight type in the file; differs from T when load_model() converted the weights.
  WeightType stored_weight_type = WeightType::float32;
};

namespace serialization {

inline constexpr char kMagic[8] = {'T', 'S', 'D', 'L', 'M', 'O', 'D', 'L'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kHeaderSize = 20;  // magic, version, payload size
inline constexpr std::size_t kChecksumSize = 4;
inline constexpr std::uint32_t kMaxTensorRank = 8;

// One tensor as stored in the file; `values` points into the file's bytes.
struct StoredTensor {
  std::string layer_name;  // WGHT only
  std::string parameter_name;  // WGHT only
  Shape shape;
  WeightType type = WeightType::float32;
  const unsigned char* values = nullptr;
};

struct StoredOptimizer {
  std::string kind;
  double learning_rate = 0.0;
  double clipnorm = 0.0;
  std::int64_t iterations = 0;
  double beta1 = 0.0, beta2 = 0.0, epsilon = 0.0;  // Adam
  double momentum = 0.0;                            // SGD
  std::vector<StoredTensor> state;
};

// A parsed model file. The StoredTensor pointers refer to `bytes`, whose buffer moves with the object.
struct ModelFileContents {
  std::vector<unsigned char> bytes;
  Shape input_shape;
  std::vector<LayerSpec> layers;
  WeightType weight_type = WeightType::float32;
  std::vector<StoredTensor> weights;
  ScoringConfig config;
  std::optional<StoredOptimizer> optimizer;
};

namespace detail {

template <typename T>
constexpr WeightType weight_type_of() {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "model files store float or double weights");
  return std::is_same_v<T, float> ? WeightType::float32 : WeightType::float64;
}

// Formats bytes for an error message: printable ASCII as is, anything else as \xHH.
inline std::string printable(const unsigned char* data, std::size_t size) {
  static const char* digits = "0123456789ABCDEF";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    const unsigned char c = data[i];
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      text += static_cast<char>(c);
    } else {
      text += "\\x";
      text += digits[c >> 4];
      text += digits[c & 0xF];
    }
  }
  return text;
}

inline std::string hex32(std::uint32_t value) {
  static const char* digits = "0123456789ABCDEF";
  std::string text = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) text += digits[(value >> shift) & 0xF];
  return text;
}

// ---- Writing ----

inline void write_shape(ByteWriter& out, const Shape& shape) {
  out.u32(ByteWriter::checked_count(shape.size(), "shape"));
  for (Index dim : shape) out.i64(dim);
}

template <typename T>
void write_values(ByteWriter& out, const Tensor<T>& tensor) {
  for (Index i = 0; i < tensor.size(); ++i) {
    if constexpr (std::is_same_v<T, float>) {
      out.f32(tensor[i]);
    } else {
      out.f64(tensor[i]);
    }
  }
}

inline void write_section(ByteWriter& out, const char (&tag)[5], const ByteWriter& body) {
  out.raw(tag, 4);
  out.u64(body.size());
  out.raw(body.bytes().data(), body.size());
}

template <typename T>
ByteWriter encode_architecture(Sequential<T>& model) {
  ByteWriter out;
  write_shape(out, model.input_shape());
  out.u32(ByteWriter::checked_count(model.size(), "layer list"));
  for (std::size_t i = 0; i < model.size(); ++i) write_layer_spec(out, describe_layer(model.layer(i)));
  return out;
}

template <typename T>
ByteWriter encode_weights(Sequential<T>& model) {
  ByteWriter out;
  out.u8(static_cast<std::uint8_t>(weight_type_of<T>()));
  std::size_t count = 0;
  for (std::size_t i = 0; i < model.size(); ++i) count += model.layer(i).parameters().size();
  out.u32(ByteWriter::checked_count(count, "weight list"));
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (const Parameter<T>& parameter : model.layer(i).parameters()) {
      out.string(model.layer(i).name());
      out.string(parameter.name);
      write_shape(out, parameter.value->shape());
      write_values(out, *parameter.value);
    }
  }
  return out;
}

inline ByteWriter encode_scoring_config(const ScoringConfig& config) {
  ByteWriter out;
  out.string(config.model_kind);
  out.u32(ByteWriter::checked_count(config.feature_names.size(), "feature_names"));
  for (const std::string& name : config.feature_names) out.string(name);
  out.string(config.scaler_kind);
  out.u32(ByteWriter::checked_count(config.scaler_offset.size(), "scaler_offset"));
  for (double value : config.scaler_offset) out.f64(value);
  out.u32(ByteWriter::checked_count(config.scaler_scale.size(), "scaler_scale"));
  for (double value : config.scaler_scale) out.f64(value);
  out.i64(config.window_width);
  out.i64(config.window_step);
  out.i64(config.seq_len);
  out.i64(config.horizon_hours);
  out.f64(config.threshold);
  out.u32(ByteWriter::checked_count(config.metadata.size(), "metadata"));
  for (const auto& [key, value] : config.metadata) {
    out.string(key);
    out.string(value);
  }
  return out;
}

template <typename T>
ByteWriter encode_optimizer(Sequential<T>& model) {
  Optimizer<T>* optimizer = model.optimizer();
  if (optimizer == nullptr) {
    throw std::invalid_argument("save_model: include_optimizer is true, but the model has no optimizer; "
                                "call compile() first or save without the optimizer");
  }
  ByteWriter out;
  if (auto* adam = dynamic_cast<Adam<T>*>(optimizer)) {
    out.string("Adam");
    out.f64(optimizer->learning_rate());
    out.f64(optimizer->clipnorm());
    out.i64(optimizer->iterations());
    out.f64(adam->beta1());
    out.f64(adam->beta2());
    out.f64(adam->epsilon());
  } else if (auto* sgd = dynamic_cast<SGD<T>*>(optimizer)) {
    out.string("SGD");
    out.f64(optimizer->learning_rate());
    out.f64(optimizer->clipnorm());
    out.i64(optimizer->iterations());
    out.f64(sgd->momentum());
  } else {
    throw std::invalid_argument("save_model: cannot save the optimizer: model files support Adam and SGD; "
                                "save without the optimizer instead");
  }
  out.u8(static_cast<std::uint8_t>(weight_type_of<T>()));
  const std::vector<Tensor<T>*> state = optimizer->state_tensors();
  out.u32(ByteWriter::checked_count(state.size(), "optimizer state"));
  for (const Tensor<T>* tensor : state) {
    write_shape(out, tensor->shape());
    write_values(out, *tensor);
  }
  return out;
}

// Wraps a payload in the header and the checksum.
inline std::string encode_file(const std::string& payload) {
  ByteWriter out;
  out.raw(kMagic, sizeof kMagic);
  out.u32(kFormatVersion);
  out.u64(payload.size());
  out.raw(payload.data(), payload.size());
  const std::uint32_t checksum = crc32c(out.bytes().data(), out.size());
  out.u32(checksum);
  return std::move(out.bytes());
}

// ---- Reading ----

// Checks the header, the size and the checksum of a whole file and returns a reader over the payload.
inline ByteReader open_payload(const std::vector<unsigned char>& bytes, const std::filesystem::path& path) {
  const std::size_t minimum = kHeaderSize + kChecksumSize;
  const std::string reload = "restore the file from a backup or re-save the model";
  if (bytes.empty()) {
    throw ModelFileError(path, "file is empty (0 bytes), so it is not a complete model file; " + reload);
  }
  const std::size_t magic_bytes = std::min(bytes.size(), sizeof kMagic);
  if (std::memcmp(bytes.data(), kMagic, magic_bytes) != 0) {
    throw ModelFileError(path, "not a tsdl model file: expected magic \"TSDLMODL\", found \"" +
                                   printable(bytes.data(), magic_bytes) +
                                   "\"; check that the path names a file written by tsdl::save_model()");
  }
  if (bytes.size() < minimum) {
    throw ModelFileError(path, "file is truncated: " + std::to_string(bytes.size()) + " bytes, but a model file has "
                                   "at least " + std::to_string(minimum) + "; " + reload);
  }

  ByteReader header(bytes.data() + sizeof kMagic, kHeaderSize - sizeof kMagic, path, sizeof kMagic);
  const std::uint32_t version = header.u32("format version");
  if (version != kFormatVersion) {
    throw ModelFileError(path, "unsupported model file format version " + std::to_string(version) +
                                   "; this build of tsdl reads version " + std::to_string(kFormatVersion) +
                                   "; load it with the tsdl version that wrote it, or re-save the model");
  }
  const std::uint64_t payload_size = header.u64("payload size");
  const std::uint64_t available = bytes.size() - minimum;
  if (payload_size != available) {
    const std::string problem = payload_size > available ? "truncated" : "longer than its header declares";
    throw ModelFileError(path, "file is " + problem + ": the header declares a " + std::to_string(payload_size) +
                                   "-byte payload, so the file should have " +
                                   (payload_size > std::numeric_limits<std::uint64_t>::max() - minimum
                                        ? std::string("more than 2^64")
                                        : std::to_string(payload_size + minimum)) +
                                   " bytes, but it has " + std::to_string(bytes.size()) + "; " + reload);
  }

  const std::size_t checked = bytes.size() - kChecksumSize;
  ByteReader trailer(bytes.data() + checked, kChecksumSize, path, checked);
  const std::uint32_t stored = trailer.u32("checksum");
  const std::uint32_t computed = crc32c(bytes.data(), checked);
  if (stored != computed) {
    throw ModelFileError(path, "checksum mismatch: the file stores CRC-32C " + hex32(stored) + ", but its contents "
                                   "give " + hex32(computed) + ", so the file is corrupted; " + reload);
  }
  return ByteReader(bytes.data() + kHeaderSize, static_cast<std::size_t>(payload_size), path, kHeaderSize);
}

inline Shape read_shape(ByteReader& in, const char* field, Index min_dim) {
  const std::uint32_t rank = in.u32(field);
  if (rank > kMaxTensorRank) {
    in.fail(std::string(field) + " has rank " + std::to_string(rank) + "; expected at most " +
            std::to_string(kMaxTensorRank));
  }
  Shape shape;
  for (std::uint32_t axis = 0; axis < rank; ++axis) {
    const std::int64_t dim = in.i64(field);
    if (dim < min_dim || dim > kMaxLayerArgument) {
      in.fail(std::string(field) + " has dimension " + std::to_string(dim) + " on axis " + std::to_string(axis) +
              "; expected a value in [" + std::to_string(min_dim) + ", " + std::to_string(kMaxLayerArgument) + "]");
    }
    shape.push_back(dim);
  }
  return shape;
}

inline WeightType read_weight_type(ByteReader& in) {
  const std::uint8_t code = in.u8("weight type");
  if (code != 4 && code != 8) in.fail("weight type is " + std::to_string(code) + "; expected 4 (float32) or 8 (float64)");
  return static_cast<WeightType>(code);
}

// Reads a shape and takes the bytes of its values; the element count is checked against the bytes
// that remain before any multiplication can overflow.
inline StoredTensor read_tensor(ByteReader& in, WeightType type, const char* field) {
  StoredTensor tensor;
  tensor.type = type;
  tensor.shape = read_shape(in, field, 0);
  const std::size_t element_bytes = static_cast<std::size_t>(type);
  std::uint64_t count = 1;
  for (Index dim : tensor.shape) {
    if (dim != 0 && count > in.remaining() / element_bytes / static_cast<std::uint64_t>(dim)) {
      in.fail(std::string(field) + " of shape " + shape_to_string(tensor.shape) + " needs more bytes than the " +
              std::to_string(in.remaining()) + " that remain");
    }
    count *= static_cast<std::uint64_t>(dim);
  }
  tensor.values = in.take(static_cast<std::size_t>(count * element_bytes), field);
  return tensor;
}

inline void expect_section_end(const ByteReader& in, const char* tag) {
  if (!in.at_end()) in.fail(std::to_string(in.remaining()) + " unread bytes at the end of section " + tag);
}

inline void parse_architecture(ByteReader in, ModelFileContents& contents) {
  contents.input_shape = read_shape(in, "input shape", 1);
  if (contents.input_shape.empty()) in.fail("input shape has rank 0; expected at least 1");
  // A layer takes at least 8 bytes: the two string lengths.
  const std::uint32_t count = in.count("layer count", 8);
  if (count == 0) in.fail("the model has no layers");
  for (std::uint32_t i = 0; i < count; ++i) contents.layers.push_back(read_layer_spec(in));
  expect_section_end(in, "ARCH");
}

inline void parse_weights(ByteReader in, ModelFileContents& contents) {
  contents.weight_type = read_weight_type(in);
  // A tensor takes at least 12 bytes: two string lengths and the rank.
  const std::uint32_t count = in.count("weight tensor count", 12);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string layer_name = in.string("weight layer name");
    std::string parameter_name = in.string("weight parameter name");
    StoredTensor tensor = read_tensor(in, contents.weight_type, "weight tensor");
    tensor.layer_name = std::move(layer_name);
    tensor.parameter_name = std::move(parameter_name);
    contents.weights.push_back(std::move(tensor));
  }
  expect_section_end(in, "WGHT");
}

inline void parse_scoring_config(ByteReader in, ModelFileContents& contents) {
  ScoringConfig& config = contents.config;
  config.model_kind = in.string("model_kind");
  const std::uint32_t features = in.count("feature name count", 4);
  for (std::uint32_t i = 0; i < features; ++i) config.feature_names.push_back(in.string("feature name"));
  config.scaler_kind = in.string("scaler_kind");
  const std::uint32_t offsets = in.count("scaler_offset count", 8);
  for (std::uint32_t i = 0; i < offsets; ++i) config.scaler_offset.push_back(in.f64("scaler_offset"));
  const std::uint32_t scales = in.count("scaler_scale count", 8);
  for (std::uint32_t i = 0; i < scales; ++i) config.scaler_scale.push_back(in.f64("scaler_scale"));
  config.window_width = in.i64("window_width");
  config.window_step = in.i64("window_step");
  config.seq_len = in.i64("seq_len");
  config.horizon_hours = in.i64("horizon_hours");
  config.threshold = in.f64("threshold");
  const std::uint32_t entries = in.count("metadata count", 8);
  for (std::uint32_t i = 0; i < entries; ++i) {
    std::string key = in.string("metadata key");
    std::string value = in.string("metadata value");
    if (!config.metadata.emplace(std::move(key), std::move(value)).second) in.fail("metadata has a repeated key");
  }
  const std::string problem = scoring_config_problem(config);
  if (!problem.empty()) in.fail("scoring configuration: " + problem);
  expect_section_end(in, "SCOR");
}

inline void parse_optimizer(ByteReader in, ModelFileContents& contents) {
  StoredOptimizer optimizer;
  optimizer.kind = in.string("optimizer kind");
  if (optimizer.kind != "Adam" && optimizer.kind != "SGD") {
    in.fail("unknown optimizer kind '" + optimizer.kind + "'; expected Adam or SGD");
  }
  optimizer.learning_rate = in.f64("learning_rate");
  optimizer.clipnorm = in.f64("clipnorm");
  optimizer.iterations = in.i64("iterations");
  if (optimizer.iterations < 0) in.fail("optimizer iterations is " + std::to_string(optimizer.iterations));
  if (optimizer.kind == "Adam") {
    optimizer.beta1 = in.f64("Adam beta1");
    optimizer.beta2 = in.f64("Adam beta2");
    optimizer.epsilon = in.f64("Adam epsilon");
  } else {
    optimizer.momentum = in.f64("SGD momentum");
  }
  const WeightType type = read_weight_type(in);
  // A state tensor takes at least 4 bytes: its rank.
  const std::uint32_t count = in.count("optimizer state tensor count", 4);
  for (std::uint32_t i = 0; i < count; ++i) optimizer.state.push_back(read_tensor(in, type, "optimizer state tensor"));
  expect_section_end(in, "OPTM");
  contents.optimizer = std::move(optimizer);
}

// Reads, checks and parses the whole file at `path`. Throws ModelFileError.
inline ModelFileContents read_model_file(const std::filesystem::path& path) {
  ModelFileContents contents;
  contents.bytes = read_whole_file(path);
  ByteReader payload = open_payload(contents.bytes, path);

  std::map<std::string, bool> seen;
  while (!payload.at_end()) {
    const unsigned char* tag_bytes = payload.take(4, "section tag");
    const std::string tag(reinterpret_cast<const char*>(tag_bytes), 4);
    const std::uint64_t size = payload.u64("section size");
    ByteReader body = payload.sub_reader(size, "section body");
    if (seen[tag]) payload.fail("section " + printable(tag_bytes, 4) + " appears twice");
    seen[tag] = true;
    if (tag == "ARCH") {
      parse_architecture(body, contents);
    } else if (tag == "WGHT") {
      parse_weights(body, contents);
    } else if (tag == "SCOR") {
      parse_scoring_config(body, contents);
    } else if (tag == "OPTM") {
      parse_optimizer(body, contents);
    } else {
      payload.fail("unknown section '" + printable(tag_bytes, 4) + "'");
    }
  }
  for (const char* required : {"ARCH", "WGHT", "SCOR"}) {
    if (!seen[required]) payload.fail(std::string("required section ") + required + " is missing");
  }
  return contents;
}

// Converts the stored values of `stored` into `target`, whose shape must already match.
template <typename T>
void copy_values(const StoredTensor& stored, Tensor<T>& target, const std::filesystem::path& path,
                 const std::string& label) {
  // read_tensor() has checked that the values lie inside the file.
  const unsigned char* bytes = stored.values;
  for (Index i = 0; i < target.size(); ++i) {
    if (stored.type == WeightType::float32) {
      target[i] = static_cast<T>(load_f32(bytes + 4 * i));
      continue;
    }
    const double number = load_f64(bytes + 8 * i);
    if constexpr (std::is_same_v<T, float>) {
      if (std::isfinite(number) && std::abs(number) > static_cast<double>(std::numeric_limits<float>::max())) {
        throw ModelFileError(path, label + " contains " + std::to_string(number) + " at flat index " + std::to_string(i) +
                                       ", beyond float's range; load the file as a double model");
      }
    }
    target[i] = static_cast<T>(number);
  }
}

// Decodes the stored weights into tensors shaped like `parameters`, checking names and shapes.
// Throws ModelFileError before anything is written to the parameters.
template <typename T>
std::vector<Tensor<T>> decode_weights(const ModelFileContents& contents, const std::vector<std::string>& layer_names,
                                      const std::vector<Parameter<T>>& parameters, const std::filesystem::path& path) {
  if (contents.weights.size() != parameters.size()) {
    throw ModelFileError(path, "the file stores " + std::to_string(contents.weights.size()) +
                                   " weight tensors, but the model has " + std::to_string(parameters.size()) +
                                   "; the file was not written for this architecture");
  }
  std::vector<Tensor<T>> decoded;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const StoredTensor& stored = contents.weights[i];
    const Parameter<T>& parameter = parameters[i];
    const std::string label = "weight '" + layer_names[i] + "/" + parameter.name + "'";
    if (stored.parameter_name != parameter.name || stored.shape != parameter.value->shape()) {
      throw ModelFileError(path, "weight tensor " + std::to_string(i) + " mismatch: the model expects " + label +
                                     " of shape " + shape_to_string(parameter.value->shape()) + ", the file stores '" +
                                     stored.layer_name + "/" + stored.parameter_name + "' of shape " +
                                     shape_to_string(stored.shape) + "; the file was not written for this architecture");
    }
    decoded.emplace_back(stored.shape);
    copy_values(stored, decoded.back(), path, label);
  }
  return decoded;
}

// Layer name of every entry of model.parameters(), in the same order.
template <typename T>
std::vector<std::string> parameter_layer_names(Sequential<T>& model) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (std::size_t k = 0; k < model.layer(i).parameters().size(); ++k) names.push_back(model.layer(i).name());
  }
  return names;
}

// Creates and builds the model that `contents` describes and loads its weights.
template <typename T>
Sequential<T> build_model(const ModelFileContents& contents, const std::filesystem::path& path) {
  std::int64_t stored_count = 0;
  for (const StoredTensor& tensor : contents.weights) stored_count += shape_size(tensor.shape);

  // Build each layer on its own first, so that the output shape of one bounds the weights of the
  // next. Before each build, the running weight count is compared with the stored count. A file
  // whose layer arguments contradict its weights therefore cannot make build() allocate more
  // weights than the file contains.
  std::vector<std::unique_ptr<Layer<T>>> layers;
  Shape shape = contents.input_shape;
  std::int64_t expected_count = 0;
  for (std::size_t i = 0; i < contents.layers.size(); ++i) {
    const LayerSpec& spec = contents.layers[i];
    const std::string where = "layer " + std::to_string(i) + " '" + spec.name + "' " + serialization::to_string(spec);
    expected_count = saturating_add(expected_count, parameter_count(spec, shape));
    if (expected_count > stored_count) {
      throw ModelFileError(path, "the architecture needs more weights than the " + std::to_string(stored_count) +
                                     " the file stores, from " + where + " on; the file is inconsistent; re-save the model");
    }
    try {
      layers.push_back(make_layer<T>(spec));
      Random scratch_rng(0);
      shape = layers.back()->build(shape, scratch_rng);
    } catch (const std::invalid_argument& error) {
      throw ModelFileError(path, "cannot recreate " + where + ": " + error.what() + "; re-save the model");
    }
  }

  Sequential<T> model;
  for (auto& layer : layers) model.add(std::move(layer));
  model.build(contents.input_shape);

  const std::vector<Parameter<T>> parameters = model.parameters();
  std::vector<Tensor<T>> decoded = decode_weights(contents, parameter_layer_names(model), parameters, path);
  for (std::size_t i = 0; i < parameters.size(); ++i) *parameters[i].value = std::move(decoded[i]);
  return model;
}

// Creates the stored optimizer, restores its state and compiles `model` with it.
template <typename T>
void restore_optimizer(Sequential<T>& model, const StoredOptimizer& stored, const std::filesystem::path& path) {
  std::unique_ptr<Optimizer<T>> optimizer;
  try {
    if (stored.kind == "Adam") {
      optimizer = std::make_unique<Adam<T>>(stored.learning_rate, stored.beta1, stored.beta2, stored.epsilon);
    } else {
      optimizer = std::make_unique<SGD<T>>(stored.learning_rate, stored.momentum);
    }
    optimizer->set_clipnorm(stored.clipnorm);
  } catch (const std::invalid_argument& error) {
    throw ModelFileError(path, std::string("cannot recreate the stored optimizer: ") + error.what() +
                                   "; load without it by re-saving the model with include_optimizer = false");
  }

  const std::vector<Parameter<T>> parameters = model.parameters();
  if (!stored.state.empty() || stored.iterations > 0) {
    optimizer->reset_state(parameters, static_cast<long>(stored.iterations));
    const std::vector<Tensor<T>*> state = optimizer->state_tensors();
    if (state.size() != stored.state.size()) {
      throw ModelFileError(path, stored.kind + " state has " + std::to_string(stored.state.size()) +
                                     " tensors, but this model needs " + std::to_string(state.size()) +
                                     "; the optimizer state was not written for this architecture");
    }
    for (std::size_t i = 0; i < state.size(); ++i) {
      if (stored.state[i].shape != state[i]->shape()) {
        throw ModelFileError(path, stored.kind + " state tensor " + std::to_string(i) + " has shape " +
                                       shape_to_string(stored.state[i].shape) + ", expected " +
                                       shape_to_string(state[i]->shape()) +
                                       "; the optimizer state was not written for this architecture");
      }
      copy_values(stored.state[i], *state[i], path, stored.kind + " state tensor " + std::to_string(i));
    }
  }
  // NOTE: the loss is not stored, so a model trained with a BinaryCrossEntropy pos_weight other
  // than 1 resumes with pos_weight 1.
  model.compile(BinaryCrossEntropy(), std::move(optimizer));
}

}  // namespace detail
}  // namespace serialization

// Writes `model` to `path` atomically: its architecture, input shape and weights, `config`, and,
// when include_optimizer is true, the optimizer's hyperparameters and state, so that training can
// resume. Throws std::invalid_argument, and writes nothing, when the model is not built, when it
// contains a layer other than the eight tsdl layer types, when include_optimizer is true but the
// optimizer is not Adam or SGD, or when `config` is invalid. Throws ModelFileError when writing
// fails, and an existing file at `path` is then left unchanged.
// NOTE: Dropout's random stream is not stored, so training resumed from a file draws other dropout
// masks than training that was never interrupted.
template <typename T>
void save_model(Sequential<T>& model, const std::filesystem::path& path, const ScoringConfig& config = {},
                bool include_optimizer = false) {
  namespace detail = serialization::detail;
  if (!model.built()) throw std::invalid_argument("save_model: the model is not built; call build() before saving");
  validate_scoring_config(config);

  serialization::ByteWriter payload;
  detail::write_section(payload, "ARCH", detail::encode_architecture(model));
  detail::write_section(payload, "WGHT", detail::encode_weights(model));
  detail::write_section(payload, "SCOR", detail::encode_scoring_config(config));
  if (include_optimizer) detail::write_section(payload, "OPTM", detail::encode_optimizer(model));
  serialization::write_file_atomically(path, detail::encode_file(payload.bytes()));
}

// Reads a file written by save_model() into a new model of scalar type T, converting the weights
// when the file stores the other type. Throws ModelFileError when the file is missing, a
// directory, empty, truncated, corrupted, of another format or version, or inconsistent.
template <typename T>
LoadedModel<T> load_model(const std::filesystem::path& path) {
  namespace detail = serialization::detail;
  const serialization::ModelFileContents contents = detail::read_model_file(path);
  LoadedModel<T> loaded{detail::build_model<T>(contents, path), contents.config, contents.optimizer.has_value(),
                        contents.weight_type};
  if (contents.optimizer) detail::restore_optimizer(loaded.model, *contents.optimizer, path);
  return loaded;
}

// Reads only the scoring configuration of a model file, after checking the whole file.
inline ScoringConfig load_scoring_config(const std::filesystem::path& path) {
  return serialization::detail::read_model_file(path).config;
}

// Copies the weights stored at `path` into the built `model`, converting float and double. The
// input shape and every layer's type and arguments must match; layer names may differ. The
// model's optimizer is not touched. Throws std::invalid_argument when the model is not built and
// ModelFileError for any problem with the file; the model is unchanged then.
template <typename T>
void load_weights_into(Sequential<T>& model, const std::filesystem::path& path) {
  namespace serial = serialization;
  if (!model.built()) throw std::invalid_argument("load_weights_into: the model is not built; call build() first");
  const serial::ModelFileContents contents = serial::detail::read_model_file(path);

  const std::string fix = "; build the model with the architecture the file was saved from, or use load_model()";
  if (contents.input_shape != model.input_shape()) {
    throw ModelFileError(path, "architecture mismatch: the model's input shape is " +
                                   shape_to_string(model.input_shape()) + ", the file's is " +
                                   shape_to_string(contents.input_shape) + fix);
  }
  if (contents.layers.size() != model.size()) {
    throw ModelFileError(path, "architecture mismatch: the model has " + std::to_string(model.size()) +
                                   " layers, the file " + std::to_string(contents.layers.size()) + fix);
  }
  for (std::size_t i = 0; i < model.size(); ++i) {
    const serial::LayerSpec expected = serial::describe_layer(model.layer(i));
    if (!expected.same_architecture(contents.layers[i])) {
      throw ModelFileError(path, "architecture mismatch at layer " + std::to_string(i) + ": the model has " +
                                     serial::to_string(expected) + ", the file " +
                                     serial::to_string(contents.layers[i]) + fix);
    }
  }

  const std::vector<Parameter<T>> parameters = model.parameters();
  std::vector<Tensor<T>> decoded =
      serial::detail::decode_weights(contents, serial::detail::parameter_layer_names(model), parameters, path);
  for (std::size_t i = 0; i < parameters.size(); ++i) *parameters[i].value = std::move(decoded[i]);
}

}  // namespace tsdl
