// TFRecord framing, the container format of TensorBoard event files.
//
// Each record is
//   u64  payload length, little-endian
//   u32  masked CRC-32C of those 8 length bytes, little-endian
//   ...  payload (here one serialized Event message)
//   u32  masked CRC-32C of the payload, little-endian
// where mask(crc) = ((crc >> 15) | (crc << 17)) + 0xa282ead8, on 32-bit unsigned values. The
// masking, from TensorFlow's record writer, keeps the CRC of data that itself contains CRCs from
// being trivially related to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tsdl/serialization/crc32c.hpp"

namespace tsdl::tensorboard {

inline std::uint32_t masked_crc32c(const void* data, std::size_t size) {
  const std::uint32_t crc = serialization::crc32c(data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

// Returns `payload` framed as one TFRecord.
inline std::string frame_record(const std::string& payload) {
  std::string record;
  record.reserve(payload.size() + 16);
  auto append_little_endian = [&record](std::uint64_t value, int byte_count) {
    for (int i = 0; i < byte_count; ++i) record += static_cast<char>((value >> (8 * i)) & 0xFF);
  };

  append_little_endian(payload.size(), 8);
  append_little_endian(masked_crc32c(record.data(), 8), 4);
  record += payload;
  append_little_endian(masked_crc32c(payload.data(), payload.size()), 4);
  return record;
}

}  // namespace tsdl::tensorboard
