// Fixtures for the data tests: TempDir (temp_dir.hpp), a message matcher and a scoped German C
// locale for checking locale independence.
#pragma once

#include <atomic>
#include <clocale>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

#include <doctest/doctest.h>

#include "../temp_dir.hpp"

namespace tsdl_test {

// Returns a doctest matcher for messages containing `text`; doctest::Contains takes no std::string.
inline doctest::Contains contains(const std::string& text) { return doctest::Contains(text.c_str()); }

// Switches the C locale (LC_ALL) to German, whose decimal separator is ',', and restores the
// previous locale on destruction. active() is false when no German locale is installed.
class ScopedGermanLocale {
 public:
  ScopedGermanLocale() {
    const char* current = std::setlocale(LC_ALL, nullptr);
    previous_ = current != nullptr ? current : "C";
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "German_Germany.1252"}) {
      if (std::setlocale(LC_ALL, name) != nullptr) {
        active_ = std::localeconv()->decimal_point[0] == ',';
        if (active_) return;
      }
    }
    std::setlocale(LC_ALL, previous_.c_str());
  }
  ~ScopedGermanLocale() { std::setlocale(LC_ALL, previous_.c_str()); }
  ScopedGermanLocale(const ScopedGermanLocale&) = delete;
  ScopedGermanLocale& operator=(const ScopedGermanLocale&) = delete;

  bool active() const { return active_; }

 private:
  std::string previous_;
  bool active_ = false;
};

}  // namespace tsdl_test
