// Fixtures for the data tests: a temporary directory with an exact-byte file writer, and a scoped
// German C locale for checking locale independence.
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

namespace tsdl_test {

// A fresh directory under the system temp directory, removed with its files on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("tsdl-data-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` unchanged (no newline translation) to NAME inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file;
  }

 private:
  std::filesystem::path path_;
};

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
