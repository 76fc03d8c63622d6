// Little-endian encoding of fixed-width integers, IEEE-754 floats and length-prefixed strings.
//
// Every multi-byte value is written and read one byte at a time with shifts, so the bytes are
// little-endian whatever the host's byte order. Floats are copied bit for bit into an unsigned
// integer of the same width first. A string is a u32 byte count followed by the bytes, without a
// terminator. ByteReader checks every read and every length against the bytes that remain, so a
// corrupt length field raises ModelFileError instead of allocating memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "tsdl/serialization/error.hpp"

namespace tsdl::serialization {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "tsdl model files store IEEE-754 binary32 and binary64 values");

// Decodes little-endian values from the bytes at `bytes`, which the caller has bounds-checked.
inline std::uint32_t load_u32(const unsigned char* bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(bytes[i]) << (8 * i);
  return value;
}

inline std::uint64_t load_u64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  return value;
}

inline float load_f32(const unsigned char* bytes) {
  const std::uint32_t bits = load_u32(bytes);
  float value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

inline double load_f64(const unsigned char* bytes) {
  const std::uint64_t bits = load_u64(bytes);
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Appends encoded values to a byte buffer.
class ByteWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }

  void u32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) u8(static_cast<std::uint8_t>(value >> shift));
  }

  void u64(std::uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8) u8(static_cast<std::uint8_t>(value >> shift));
  }

  void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }

  void f32(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    u32(bits);
  }

  void f64(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    u64(bits);
  }

  // Writes a u32 byte count and the bytes. Throws std::length_error above 4 GiB - 1 bytes.
  void string(const std::string& value) {
    u32(checked_count(value.size(), "string"));
    bytes_.append(value);
  }

  void raw(const void* data, std::size_t size) { bytes_.append(static_cast<const char*>(data), size); }

  // Converts a container size to the u32 count stored before a list.
  static std::uint32_t checked_count(std::size_t count, const char* list_name) {
    if (count > std::numeric_limits<std::uint32_t>::max()) {
      throw std::length_error(std::string("model file: ") + list_name + " of " + std::to_string(count) +
                              " elements exceeds the format's 32-bit count");
    }
    return static_cast<std::uint32_t>(count);
  }

  std::size_t size() const { return bytes_.size(); }
  const std::string& bytes() const { return bytes_; }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

// Reads encoded values from a byte range that it does not own. Every method throws ModelFileError
// naming `path`, the field and the byte offset in the file when the range has too few bytes left.
class ByteReader {
 public:
  // `file_offset` is the position of data[0] in the file, used only in error messages.
  ByteReader(const unsigned char* data, std::size_t size, std::filesystem::path path, std::size_t file_offset = 0)
      : data_(data), size_(size), path_(std::move(path)), file_offset_(file_offset) {}

  std::uint8_t u8(const char* field) {
    require(1, field);
    return data_[position_++];
  }

  std::uint32_t u32(const char* field) { return load_u32(take(4, field)); }
  std::uint64_t u64(const char* field) { return load_u64(take(8, field)); }
  std::int64_t i64(const char* field) { return static_cast<std::int64_t>(u64(field)); }
  float f32(const char* field) { return load_f32(take(4, field)); }
  double f64(const char* field) { return load_f64(take(8, field)); }

  std::string string(const char* field) {
    const std::uint32_t length = u32(field);
    require(length, field);
    std::string value(reinterpret_cast<const char*>(data_ + position_), length);
    position_ += length;
    return value;
  }

  // Reads a u32 element count and checks that `count * min_element_bytes` bytes remain, so that
  // the caller can reserve `count` elements without trusting a corrupt count.
  std::uint32_t count(const char* field, std::size_t min_element_bytes) {
    const std::size_t start = position_;
    const std::uint32_t value = u32(field);
    if (min_element_bytes > 0 && value > remaining() / min_element_bytes) {
      position_ = start;
      fail(std::string(field) + " is " + std::to_string(value) + ", but only " + std::to_string(remaining() - 4) +
           " bytes remain for its elements of at least " + std::to_string(min_element_bytes) + " bytes each");
    }
    return value;
  }

  // Returns a reader over the next `size` bytes and skips them.
  ByteReader sub_reader(std::uint64_t size, const char* field) {
    require(size, field);
    ByteReader sub(data_ + position_, static_cast<std::size_t>(size), path_, file_offset_ + position_);
    position_ += static_cast<std::size_t>(size);
    return sub;
  }

  const unsigned char* take(std::size_t size, const char* field) {
    require(size, field);
    const unsigned char* start = data_ + position_;
    position_ += size;
    return start;
  }

  std::size_t remaining() const { return size_ - position_; }
  bool at_end() const { return position_ == size_; }
  std::size_t file_offset() const { return file_offset_ + position_; }
  const std::filesystem::path& path() const { return path_; }

  // Throws ModelFileError for invalid content at the current position. Content that passed the
  // checksum but cannot be parsed was written by other software, or by a tsdl with a bug.
  [[noreturn]] void fail(const std::string& detail) const {
    throw ModelFileError(path_, "invalid model file: " + detail + " (at byte offset " +
                                    std::to_string(file_offset()) +
                                    "); the checksum matches, so the file was written by incompatible "
                                    "software; re-save the model with this version of tsdl");
  }

 private:
  void require(std::uint64_t bytes, const char* field) const {
    if (bytes > remaining()) {
      fail(std::string(field) + " needs " + std::to_string(bytes) + " bytes, but only " +
           std::to_string(remaining()) + " remain");
    }
  }

  const unsigned char* data_;
  std::size_t size_;
  std::size_t position_ = 0;
  std::filesystem::path path_;
  std::size_t file_offset_;
};

}  // namespace tsdl::serialization
