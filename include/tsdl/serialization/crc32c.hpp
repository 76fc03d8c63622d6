// CRC-32C (Castagnoli): the checksum that protects tsdl model files.
//
// Reflected polynomial 0x82F63B78 (0x1EDC6F41 in normal form), initial value 0xFFFFFFFF and a final
// XOR with 0xFFFFFFFF, as in iSCSI (RFC 3720) and ext4. The check value, the CRC of the ASCII bytes
// "123456789", is 0xE3069283. The implementation is byte-at-a-time with a 256-entry table.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tsdl::serialization {

namespace detail {

constexpr std::array<std::uint32_t, 256> make_crc32c_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1U) != 0 ? (crc >> 1) ^ 0x82F63B78U : crc >> 1;
    table[byte] = crc;
  }
  return table;
}

inline constexpr std::array<std::uint32_t, 256> crc32c_table = make_crc32c_table();

}  // namespace detail

// Extends a finished CRC-32C `crc` of earlier bytes by `size` more bytes, so that
// crc32c_extend(crc32c(a), b) == crc32c(a followed by b). Start with crc = 0 for the first block.
inline std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint32_t state = ~crc;
  for (std::size_t i = 0; i < size; ++i) state = detail::crc32c_table[(state ^ bytes[i]) & 0xFFU] ^ (state >> 8);
  return ~state;
}

// Returns the CRC-32C of `size` bytes at `data`.
inline std::uint32_t crc32c(const void* data, std::size_t size) { return crc32c_extend(0, data, size); }

}  // namespace tsdl::serialization
