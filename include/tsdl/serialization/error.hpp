// ModelFileError: the exception for model files that cannot be written, read or used.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace tsdl {

// Raised by save_model(), load_model() and load_weights_into() when a file is missing, unreadable,
// truncated, corrupted, of another format or version, or does not match the model it is loaded
// into, and when a save fails. The message starts with the path and ends with what to do next.
class ModelFileError : public std::runtime_error {
 public:
  ModelFileError(const std::filesystem::path& path, const std::string& message)
      : std::runtime_error(path.string() + ": " + message), path_(path) {}

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tsdl
