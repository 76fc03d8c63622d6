// Protocol Buffers wire-format encoding, enough to write TensorBoard's Event messages without a
// protobuf library.
//
// Each field is a key, varint(field_number << 3 | wire_type), followed by its value. Wire type 0 is
// a varint (int64, bool), 1 is 8 little-endian bytes (double), 2 is a varint length and that many
// bytes (string, nested message, packed repeated numbers), and 5 is 4 little-endian bytes (float).
// A varint stores 7 bits per byte, low group first, with the high bit set on every byte but the
// last. Negative int64 values take 10 bytes, as in protobuf.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tsdl::tensorboard {

enum class WireType : std::uint32_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

// Builds one message's bytes field by field. Fields are written in the order of the calls.
class ProtobufWriter {
 public:
  void add_varint(int field, std::uint64_t value) {
    append_key(field, WireType::varint);
    append_varint(value);
  }

  void add_int64(int field, std::int64_t value) { add_varint(field, static_cast<std::uint64_t>(value)); }

  void add_double(int field, double value) {
    append_key(field, WireType::fixed64);
    append_double(value);
  }

  void add_float(int field, float value) {
    append_key(field, WireType::fixed32);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    append_little_endian(bits, 4);
  }

  // Adds a string, a bytes field or a nested message's encoding.
  void add_bytes(int field, const std::string& bytes) {
    append_key(field, WireType::length_delimited);
    append_varint(bytes.size());
    bytes_ += bytes;
  }

  // Adds a packed repeated double field: one length-delimited run of 8-byte values. An empty
  // vector adds nothing, as protobuf encoders do.
  void add_packed_doubles(int field, const std::vector<double>& values) {
    if (values.empty()) return;
    append_key(field, WireType::length_delimited);
    append_varint(values.size() * 8);
    for (double value : values) append_double(value);
  }

  const std::string& bytes() const { return bytes_; }

 private:
  void append_key(int field, WireType type) {
    append_varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(type));
  }

  void append_varint(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_ += static_cast<char>((value & 0x7F) | 0x80);
      value >>= 7;
    }
    bytes_ += static_cast<char>(value);
  }

  void append_double(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    append_little_endian(bits, 8);
  }

  void append_little_endian(std::uint64_t value, int byte_count) {
    for (int i = 0; i < byte_count; ++i) bytes_ += static_cast<char>((value >> (8 * i)) & 0xFF);
  }

  std::string bytes_;
};

}  // namespace tsdl::tensorboard
