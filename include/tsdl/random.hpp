// Random numbers that are identical on every platform for a given seed.
//
// std::uniform_real_distribution and std::normal_distribution produce different sequences under
// libstdc++, libc++ and MSVC, so tsdl draws from its own generator (xoshiro256**, seeded through
// splitmix64) and its own transforms.
#pragma once

#include <cmath>
#include <cstdint>

namespace tsdl {

// Advances a splitmix64 state and returns the next output; also used to derive independent seeds.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Mixes a seed with a stream number, giving the seed of an independent stream (one per layer, say).
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  splitmix64(state);
  return splitmix64(state);
}

class Random {
 public:
  explicit Random(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : state_) word = splitmix64(state);
    has_spare_normal_ = false;
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  double uniform(double low, double high) { return low + (high - low) * uniform(); }

  // Uniform integer in [0, bound), without modulo bias.
  std::uint64_t uniform_index(std::uint64_t bound) {
    if (bound == 0) return 0;
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t value = next_u64();
    while (value >= limit) value = next_u64();
    return value % bound;
  }

  // Standard normal sample (Marsaglia's polar method).
  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = uniform(-1.0, 1.0);
      v = uniform(-1.0, 1.0);
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * factor;
    has_spare_normal_ = true;
    return u * factor;
  }

  double normal(double mean, double stddev) { return mean + stddev * normal(); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4] = {0, 0, 0, 0};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace tsdl
