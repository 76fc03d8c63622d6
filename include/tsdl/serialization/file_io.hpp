// Whole-file reads and atomic, durable whole-file writes with POSIX calls.
//
// write_file_atomically() writes a temporary file in the target's directory, fsyncs it, renames it
// over the target and fsyncs the directory. rename() within one file system is atomic on POSIX, so
// a reader sees either the old file or the complete new one, never a partial file, and a crash
// leaves at most a stray temporary named "<target>.tmp-<pid>-<n>".
#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#if defined(_WIN32)
#error "tsdl/serialization/file_io.hpp needs POSIX open, fsync and rename"
#endif

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsdl/serialization/error.hpp"

namespace tsdl::serialization {

namespace detail {

inline std::string errno_text(int error) { return std::strerror(error); }

// Closes a file descriptor on scope exit unless released.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and returns close()'s errno, or 0 on success.
  int close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes all bytes, retrying partial writes and EINTR. Returns 0 or the errno of the failed write.
inline int write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}

inline int fsync_retrying(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

}  // namespace detail

// Replaces the file at `path` with `bytes` atomically and durably. Throws ModelFileError when the
// directory does not exist or is not writable, or when a write, fsync or rename fails. The
// temporary file is then removed, and an existing file at `path` is left as it was, except when
// only the final fsync of the directory fails: the new file is then already in place, and the
// error message states that.
inline void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");

  std::filesystem::path temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temporary = path;
    temporary += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    const int error = errno;
    throw ModelFileError(path, "failed to create temporary file " + temporary.string() + ": " +
                                   detail::errno_text(error) + "; check that directory " + directory.string() +
                                   " exists and is writable");
  }

  detail::FileDescriptor file(fd);
  auto fail = [&](const std::string& step, int error) {
    if (file.get() >= 0) file.close();
    ::unlink(temporary.c_str());
    throw ModelFileError(path, step + " failed: " + detail::errno_text(error) + "; the existing file, if any, " +
                                   "is unchanged; check free disk space and permissions of " + directory.string());
  };

  if (const int error = detail::write_all(file.get(), bytes.data(), bytes.size())) fail("write of the temporary file", error);
  if (const int error = detail::fsync_retrying(file.get())) fail("fsync of the temporary file", error);
  if (const int error = file.close()) fail("close of the temporary file", error);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename of " + temporary.string() + " over the target", errno);

  // The rename is durable only once the directory entry is on disk.
  const int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int error = directory_fd < 0 ? errno : 0;
  if (directory_fd >= 0) {
    detail::FileDescriptor directory_file(directory_fd);
    error = detail::fsync_retrying(directory_file.get());
    // Some file systems do not support fsync on directories; the rename itself has succeeded.
    if (error == EINVAL || error == ENOTSUP) error = 0;
  }
  if (error != 0) {
    throw ModelFileError(path, "the new file is in place, but fsync of directory " + directory.string() +
                                   " failed: " + detail::errno_text(error) +
                                   "; the replacement may be lost after a crash, so save again to be sure");
  }
}

// Reads the whole file at `path`. Throws ModelFileError when it is missing, a directory, or
// unreadable.
inline std::vector<unsigned char> read_whole_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const std::string hint = error == ENOENT ? "check the path" : "check the file's permissions";
    throw ModelFileError(path, "failed to open model file: " + detail::errno_text(error) + "; " + hint);
  }
  detail::FileDescriptor file(fd);

  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    const int error = errno;
    throw ModelFileError(path, "failed to stat model file: " + detail::errno_text(error));
  }
  if (S_ISDIR(status.st_mode)) {
    throw ModelFileError(path, "is a directory, not a model file; pass the path of a file written by save_model()");
  }
  if (!S_ISREG(status.st_mode)) {
    throw ModelFileError(path, "is not a regular file; pass the path of a file written by save_model()");
  }

  std::vector<unsigned char> bytes(static_cast<std::size_t>(status.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(file.get(), bytes.data() + done, bytes.size() - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      throw ModelFileError(path, "read failed: " + detail::errno_text(error));
    }
    if (got == 0) break;  // The file shrank while being read; the size check of the caller reports it.
    done += static_cast<std::size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace tsdl::serialization
