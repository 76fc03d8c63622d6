// libFuzzer target for the timestamp parser.
//
// The whole input is one timestamp text. DataError is the documented rejection. For accepted
// text the target checks that the fraction lies in [0, 1) and that format_timestamp() and
// parse_timestamp() round-trip the whole seconds. format_timestamp() may throw
// std::out_of_range, because a UTC offset can move a valid local time of year 0000 or 9999
// outside the formattable years.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tsdl/data/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::int64_t seconds = 0;
  try {
    seconds = tsdl::data::parse_timestamp(text);
  } catch (const tsdl::data::DataError&) {
    // The fractional parser must reject the same texts.
    try {
      (void)tsdl::data::parse_timestamp_fractional(text);
      std::abort();
    } catch (const tsdl::data::DataError&) {
    }
    return 0;
  }

  const double fractional = tsdl::data::parse_timestamp_fractional(text);
  const double fraction = fractional - static_cast<double>(seconds);
  // A double resolves about 0.5 microseconds at current dates and 0.5 milliseconds near year
  // 9999, so the comparison allows for rounding.
  if (!(fraction >= -1e-3 && fraction < 1.0 + 1e-3)) std::abort();

  std::string formatted;
  try {
    formatted = tsdl::data::format_timestamp(seconds);
  } catch (const std::out_of_range&) {
    return 0;
  }
  if (tsdl::data::parse_timestamp(formatted) != seconds) std::abort();
  return 0;
}
