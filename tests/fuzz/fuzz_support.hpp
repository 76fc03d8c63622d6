// Helpers shared by the libFuzzer targets: a scratch file per process for the readers that take a
// path.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace tsdl_fuzz {

// Returns the path of this process's scratch file with the given extension, in $TMPDIR or /tmp.
// The file is removed when the process exits normally.
inline std::filesystem::path scratch_path(const std::string& extension) {
  static const std::filesystem::path directory = [] {
    const char* base = std::getenv("TMPDIR");
    std::filesystem::path path = base != nullptr && *base != '\0' ? base : "/tmp";
    path /= "tsdl-fuzz-" + std::to_string(::getpid());
    std::filesystem::create_directories(path);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
    });
    return path;
  }();
  return directory / ("input" + extension);
}

// Replaces the file at `path` with the given bytes. Aborts when the write fails, because a fuzz
// run that silently tests an old file would report nothing.
inline void write_file(const std::filesystem::path& path, const void* data, std::size_t size) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    std::perror(path.c_str());
    std::abort();
  }
  if (size > 0 && std::fwrite(data, 1, size, file) != size) {
    std::perror(path.c_str());
    std::abort();
  }
  if (std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

}  // namespace tsdl_fuzz
