// libFuzzer target for the model-file loader: load_model<float>, load_model<double> and
// load_scoring_config.
//
// Each input is loaded twice. First the bytes are written unchanged, which exercises the header,
// size and checksum checks. Almost every mutation fails the CRC-32C there, so the second pass
// rewrites the payload size and the checksum to match (when the input is at least a header and a
// checksum long) and loads again. That pass reaches the section, layer, weight and optimizer
// parsers behind the checksum. ModelFileError is the documented rejection. Any other exception,
// a sanitizer report or a model that loads but cannot predict is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "fuzz_support.hpp"
#include "tsdl/serialization.hpp"

namespace {

constexpr std::size_t kHeaderSize = 20;  // magic, u32 version, u64 payload size
constexpr std::size_t kChecksumSize = 4;

void store_little_endian(std::vector<unsigned char>& bytes, std::size_t offset, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) bytes[offset + static_cast<std::size_t>(i)] = static_cast<unsigned char>(value >> (8 * i));
}

// Runs one prediction on a zero batch of two samples, to check that a loaded model is usable.
// Inputs with more than 4096 values per sample are skipped to keep each run fast.
template <typename T>
void predict_once(tsdl::Sequential<T>& model) {
  const tsdl::Shape& sample = model.input_shape();
  if (tsdl::shape_size(sample) > 4096) return;
  tsdl::Shape batch_shape{2};
  batch_shape.insert(batch_shape.end(), sample.begin(), sample.end());
  tsdl::Tensor<T> x(batch_shape);
  x.set_zero();
  const tsdl::Tensor<T> p = model.predict(x);
  if (p.size() != 2 * tsdl::shape_size(model.output_shape())) std::abort();
}

template <typename T>
void load_and_predict(const std::filesystem::path& path) {
  try {
    tsdl::LoadedModel<T> loaded = tsdl::load_model<T>(path);
    predict_once(loaded.model);
  } catch (const tsdl::ModelFileError&) {
  }
}

void load_all(const std::filesystem::path& path, bool with_double) {
  load_and_predict<float>(path);
  if (with_double) load_and_predict<double>(path);
  try {
    (void)tsdl::load_scoring_config(path);
  } catch (const tsdl::ModelFileError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path path = tsdl_fuzz::scratch_path(".tsdl");
  tsdl_fuzz::write_file(path, data, size);
  load_all(path, false);

  if (size < kHeaderSize + kChecksumSize) return 0;
  std::vector<unsigned char> sealed(data, data + size);
  store_little_endian(sealed, 12, size - kHeaderSize - kChecksumSize, 8);
  const std::uint32_t checksum = tsdl::serialization::crc32c(sealed.data(), size - kChecksumSize);
  store_little_endian(sealed, size - kChecksumSize, checksum, 4);
  tsdl_fuzz::write_file(path, sealed.data(), sealed.size());
  load_all(path, true);
  return 0;
}
