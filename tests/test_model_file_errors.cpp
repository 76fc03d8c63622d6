// Model files that must be rejected (truncated, corrupted, foreign, inconsistent) and saves that
// must fail without touching the existing file.
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "tsdl/models.hpp"
#include "tsdl/serialization.hpp"

using namespace tsdl;
namespace fs = std::filesystem;

namespace {

using tsdl_test::TempDir;

using Bytes = std::vector<unsigned char>;

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const fs::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void store_u32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes.at(offset + i) = static_cast<unsigned char>(value >> (8 * i));
}

void store_u64(Bytes& bytes, std::size_t offset, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes.at(offset + i) = static_cast<unsigned char>(value >> (8 * i));
}

std::uint32_t load_u32(const Bytes& bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(bytes.at(offset + i)) << (8 * i);
  return value;
}

// Rewrites the payload size and the trailing CRC-32C after an edit, so that only the edited field
// is wrong and the loader's checks behind the checksum are reached.
void reseal(Bytes& bytes) {
  store_u64(bytes, 12, bytes.size() - 24);
  const std::uint32_t checksum = serialization::crc32c(bytes.data(), bytes.size() - 4);
  store_u32(bytes, bytes.size() - 4, checksum);
}

// Offset of the first occurrence of `text` as a length-prefixed string.
std::size_t find_string_field(const Bytes& bytes, const std::string& text) {
  Bytes needle(4);
  store_u32(needle, 0, static_cast<std::uint32_t>(text.size()));
  needle.insert(needle.end(), text.begin(), text.end());
  const auto found = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
  REQUIRE(found != bytes.end());
  return static_cast<std::size_t>(found - bytes.begin());
}

// Small model with every layer type, so that the loops below run through every encoder.
Sequential<float> make_small_model() {
  Sequential<float> model;
  model.add(TimeDistributed<float>(Conv1D<float>(3, 2, 1, Padding::same, ActivationKind::relu)));
  model.add(TimeDistributed<float>(MaxPool1D<float>(2)));
  model.add(TimeDistributed<float>(Flatten<float>()));
  model.add(LSTM<float>(3, true));
  model.add(Conv1D<float>(2, 2));
  model.add(MaxPool1D<float>(2, 1, Padding::same));
  model.add(Dropout<float>(0.1));
  model.add(Activation<float>(ActivationKind::tanh));
  model.add(Flatten<float>());
  model.add(Dense<float>(2, ActivationKind::relu));
  model.add(Dense<float>(1, ActivationKind::sigmoid));
  model.build({4, 4, 1}, 5);
  return model;
}

ScoringConfig make_config() {
  ScoringConfig config;
  config.feature_names = {"volt", "rotate", "pressure", "vibration"};
  config.scaler_kind = "minmax";
  config.scaler_offset = {97.3, 138.4, 51.2, 14.9};
  config.scaler_scale = {158.1, 557.4, 134.3, 61.6};
  config.model_kind = "hybrid";
  return config;
}

// Saves the small model with a config and an Adam state after one training step.
Bytes make_reference_file(const fs::path& path) {
  auto model = make_small_model();
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>());
  Tensor<float> x({4, 4, 4, 1});
  Random rng(6);
  for (Index i = 0; i < x.size(); ++i) x[i] = static_cast<float>(rng.uniform());
  Tensor<float> y({4});
  for (Index i = 0; i < 4; ++i) y[i] = static_cast<float>(i % 2);
  FitOptions fit;
  fit.batch_size = 4;
  model.fit(x, y, fit);
  save_model(model, path, make_config(), true);
  return read_bytes(path);
}

// Returns the message of the ModelFileError that loading `path` raises, or "" when it loads or
// raises another exception type.
std::string load_error(const fs::path& path) {
  try {
    load_model<float>(path);
  } catch (const ModelFileError& error) {
    return error.what();
  } catch (...) {
    return "";
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<std::string> temporary_files_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (contains(name, ".tmp-")) names.push_back(name);
  }
  return names;
}

}  // namespace

TEST_CASE("Reference file loads") {
  TempDir dir;
  make_reference_file(dir / "model.tsdl");
  LoadedModel<float> loaded = load_model<float>(dir / "model.tsdl");
  CHECK(loaded.has_optimizer);
  CHECK(loaded.config == make_config());
  CHECK(loaded.model.optimizer()->iterations() == 1);
}

TEST_CASE("Truncation at every length rejected") {
  TempDir dir;
  const Bytes bytes = make_reference_file(dir / "model.tsdl");
  const fs::path path = dir / "truncated.tsdl";
  std::size_t accepted = 0;
  std::size_t without_path = 0;
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    write_bytes(path, Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length)));
    const std::string message = load_error(path);
    if (message.empty()) {
      if (accepted++ == 0) MESSAGE("first accepted length: " << length);
    } else if (!contains(message, path.string())) {
      ++without_path;
    }
  }
  CHECK(accepted == 0);
  CHECK(without_path == 0);

  write_bytes(path, Bytes(bytes.begin(), bytes.begin() + 12));
  CHECK(contains(load_error(path), "truncated"));
  write_bytes(path, Bytes(bytes.begin(), bytes.end() - 100));
  CHECK(contains(load_error(path), "truncated"));
  CHECK(contains(load_error(path), "should have " + std::to_string(bytes.size()) + " bytes"));
}

TEST_CASE("Bit flip at every byte rejected") {
  TempDir dir;
  const Bytes bytes = make_reference_file(dir / "model.tsdl");
  const fs::path path = dir / "flipped.tsdl";
  std::size_t accepted = 0;
  std::size_t flips = 0;
  for (std::size_t offset = 0; offset < bytes.size(); ++offset) {
    // Every bit of the 20-byte header, one bit per byte elsewhere, cycling through the positions.
    const int bits = offset < 20 ? 8 : 1;
    for (int k = 0; k < bits; ++k) {
      const int bit = offset < 20 ? k : static_cast<int>(offset % 8);
      Bytes corrupted = bytes;
      corrupted[offset] ^= static_cast<unsigned char>(1U << bit);
      write_bytes(path, corrupted);
      ++flips;
      if (load_error(path).empty() && accepted++ == 0) MESSAGE("first accepted flip: byte " << offset << " bit " << bit);
    }
  }
  CHECK(flips > bytes.size());
  CHECK(accepted == 0);

  Bytes corrupted = bytes;
  corrupted[bytes.size() / 2] ^= 0x10;
  write_bytes(path, corrupted);
  const std::string message = load_error(path);
  CHECK(contains(message, "checksum mismatch"));
  CHECK(contains(message, "corrupted"));
}

TEST_CASE("Extra trailing bytes rejected") {
  TempDir dir;
  Bytes bytes = make_reference_file(dir / "model.tsdl");
  bytes.push_back(0);
  write_bytes(dir / "longer.tsdl", bytes);
  CHECK(contains(load_error(dir / "longer.tsdl"), "longer than its header declares"));
}

TEST_CASE("Wrong magic rejected") {
  TempDir dir;
  Bytes bytes = make_reference_file(dir / "model.tsdl");
  bytes[7] = 'X';
  write_bytes(dir / "magic.tsdl", bytes);
  const std::string message = load_error(dir / "magic.tsdl");
  CHECK(contains(message, "not a tsdl model file"));
  CHECK(contains(message, "expected magic \"TSDLMODL\", found \"TSDLMODX\""));

  write_bytes(dir / "text.tsdl", Bytes{'h', 'e', 'l', 'l', 'o', '\n'});
  CHECK(contains(load_error(dir / "text.tsdl"), "found \"hello\\x0A\""));
}

TEST_CASE("Future format version rejected") {
  TempDir dir;
  Bytes bytes = make_reference_file(dir / "model.tsdl");
  store_u32(bytes, 8, 2);
  reseal(bytes);
  write_bytes(dir / "future.tsdl", bytes);
  const std::string message = load_error(dir / "future.tsdl");
  CHECK(contains(message, "unsupported model file format version 2"));
  CHECK(contains(message, "reads version 1"));
}

TEST_CASE("Empty, missing and directory paths rejected") {
  TempDir dir;
  write_bytes(dir / "empty.tsdl", {});
  CHECK(contains(load_error(dir / "empty.tsdl"), "file is empty"));

  const std::string missing = load_error(dir / "missing.tsdl");
  CHECK(contains(missing, (dir / "missing.tsdl").string()));
  CHECK(contains(missing, "No such file"));
  CHECK(contains(missing, "check the path"));

  fs::create_directory(dir / "folder.tsdl");
  CHECK(contains(load_error(dir / "folder.tsdl"), "is a directory"));
}

TEST_CASE("Inconsistent content behind a valid checksum rejected") {
  TempDir dir;
  const Bytes bytes = make_reference_file(dir / "model.tsdl");
  const fs::path path = dir / "edited.tsdl";
  // The ARCH section is first: tag at 20, size at 24, input rank at 32, then 3 dims, layer count.
  REQUIRE(std::string(bytes.begin() + 20, bytes.begin() + 24) == "ARCH");
  REQUIRE(load_u32(bytes, 32) == 3);
  const std::size_t layer_count_offset = 32 + 4 + 3 * 8;
  REQUIRE(load_u32(bytes, layer_count_offset) == 11);

  SUBCASE("absurd layer count") {
    Bytes edited = bytes;
    store_u32(edited, layer_count_offset, 0xFFFFFFFFU);
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "layer count is 4294967295"));
  }
  SUBCASE("string length beyond the section") {
    Bytes edited = bytes;
    store_u32(edited, layer_count_offset + 4, 0x7FFFFFFFU);
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "layer type needs 2147483647 bytes"));
  }
  SUBCASE("section size beyond the payload") {
    Bytes edited = bytes;
    store_u64(edited, 24, std::uint64_t{1} << 62);
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "section body needs"));
  }
  SUBCASE("huge Dense units that the weights do not back") {
    Bytes edited = bytes;
    const std::size_t type = find_string_field(edited, "Dense");
    const std::size_t name = type + 4 + 5;
    const std::size_t units = name + 4 + load_u32(edited, name);
    store_u64(edited, units, 0x7FFFFFFF);
    reseal(edited);
    write_bytes(path, edited);
    const std::string message = load_error(path);
    CHECK(contains(message, "needs more weights than"));
    CHECK(contains(message, "layer 9 'dense'"));
  }
  SUBCASE("Dense units that contradict the stored kernel") {
    Bytes edited = bytes;
    const std::size_t type = find_string_field(edited, "Dense");
    const std::size_t name = type + 4 + 5;
    store_u64(edited, name + 4 + load_u32(edited, name), 1);
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "weight tensor 7 mismatch"));
  }
  SUBCASE("unknown activation") {
    Bytes edited = bytes;
    const std::size_t activation = find_string_field(edited, "tanh");
    edited[activation + 4] = 'x';
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "unknown activation 'xanh'"));
  }
  SUBCASE("unknown layer type") {
    Bytes edited = bytes;
    const std::size_t type = find_string_field(edited, "Flatten");
    edited[type + 4] = 'B';
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "unknown layer type 'Blatten'"));
  }
  SUBCASE("unknown section") {
    Bytes edited = bytes;
    const Bytes section = {'X', 'T', 'R', 'A', 0, 0, 0, 0, 0, 0, 0, 0};
    edited.insert(edited.end() - 4, section.begin(), section.end());
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "unknown section 'XTRA'"));
  }
  SUBCASE("invalid scoring configuration") {
    Bytes edited = bytes;
    const std::size_t kind = find_string_field(edited, "minmax");
    edited[kind + 4] = 'M';
    reseal(edited);
    write_bytes(path, edited);
    CHECK(contains(load_error(path), "scaler_kind is 'Minmax'"));
  }
}

TEST_CASE("Failed load leaves the in-memory model unchanged") {
  TempDir dir;
  Bytes bytes = make_reference_file(dir / "model.tsdl");
  LoadedModel<float> loaded = load_model<float>(dir / "model.tsdl");
  std::vector<Tensor<float>> before;
  for (auto& parameter : loaded.model.parameters()) before.push_back(*parameter.value);

  bytes[bytes.size() - 10] ^= 1;
  write_bytes(dir / "corrupted.tsdl", bytes);
  CHECK_THROWS_AS(loaded = load_model<float>(dir / "corrupted.tsdl"), ModelFileError);
  CHECK_THROWS_AS(load_weights_into(loaded.model, dir / "corrupted.tsdl"), ModelFileError);

  const auto after = loaded.model.parameters();
  REQUIRE(after.size() == before.size());
  Index differences = 0;
  for (std::size_t k = 0; k < before.size(); ++k) {
    for (Index i = 0; i < before[k].size(); ++i) differences += (*after[k].value)[i] == before[k][i] ? 0 : 1;
  }
  CHECK(differences == 0);
}

TEST_CASE("Save replaces an existing file") {
  TempDir dir;
  auto first = make_small_model();
  save_model(first, dir / "model.tsdl");
  auto second = make_small_model();
  (*second.parameters().front().value)[0] = 42.0f;
  save_model(second, dir / "model.tsdl", make_config());

  LoadedModel<float> loaded = load_model<float>(dir / "model.tsdl");
  CHECK((*loaded.model.parameters().front().value)[0] == 42.0f);
  CHECK(loaded.config == make_config());
  CHECK(temporary_files_in(dir.path()).empty());
}

TEST_CASE("Save into a missing directory fails") {
  TempDir dir;
  auto model = make_small_model();
  const fs::path path = dir / "missing" / "model.tsdl";
  CHECK_THROWS_WITH_AS(save_model(model, path), doctest::Contains("exists and is writable"), ModelFileError);
  CHECK_FALSE(fs::exists(dir / "missing"));

  write_bytes(dir / "plain_file", {'x'});
  CHECK_THROWS_AS(save_model(model, dir / "plain_file" / "model.tsdl"), ModelFileError);
  CHECK(read_bytes(dir / "plain_file") == Bytes{'x'});
}

TEST_CASE("Failed rename removes the temporary file") {
  // Renaming a file over a non-empty directory fails after the temporary file is written and synced.
  TempDir dir;
  auto model = make_small_model();
  fs::create_directory(dir / "model.tsdl");
  write_bytes(dir / "model.tsdl" / "keep", {'k'});

  CHECK_THROWS_WITH_AS(save_model(model, dir / "model.tsdl"), doctest::Contains("rename"), ModelFileError);
  CHECK(fs::is_directory(dir / "model.tsdl"));
  CHECK(read_bytes(dir / "model.tsdl" / "keep") == Bytes{'k'});
  CHECK(temporary_files_in(dir.path()).empty());
}

TEST_CASE("Rejected save leaves an existing file intact") {
  TempDir dir;
  const Bytes original = make_reference_file(dir / "model.tsdl");
  auto model = make_small_model();
  ScoringConfig invalid = make_config();
  invalid.threshold = -0.1;
  CHECK_THROWS_AS(save_model(model, dir / "model.tsdl", invalid), std::invalid_argument);
  CHECK(read_bytes(dir / "model.tsdl") == original);
  CHECK(temporary_files_in(dir.path()).empty());
}

TEST_CASE("Save into a read-only directory fails") {
  TempDir dir;
  fs::create_directory(dir / "locked");
  const Bytes original = make_reference_file(dir / "locked" / "model.tsdl");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);

  // Root ignores directory permissions, so the check needs an unprivileged user.
  {
    std::ofstream probe(dir / "locked" / "probe");
    if (probe.is_open()) {
      MESSAGE("skipping: directory permissions are not enforced for this user");
      return;
    }
  }
  auto model = make_small_model();
  CHECK_THROWS_WITH_AS(save_model(model, dir / "locked" / "model.tsdl"), doctest::Contains("Permission denied"),
                       ModelFileError);
  CHECK(read_bytes(dir / "locked" / "model.tsdl") == original);
  CHECK(temporary_files_in(dir / "locked").empty());
}
