// EventFileWriter: writes a TensorBoard event file without TensorFlow or a protobuf library.
//
// The file is a sequence of TFRecords (record.hpp), each holding one tensorflow.Event message
// encoded by hand (protobuf_wire.hpp). The fields used, with their numbers in TensorFlow's
// event.proto and summary.proto:
//   Event           double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5
//   Summary         repeated Value value = 1
//   Summary.Value   string tag = 1; float simple_value = 2; HistogramProto histo = 5
//   HistogramProto  double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
//                   repeated double bucket_limit = 6 [packed], bucket = 7 [packed]
// The first record is Event{wall_time, file_version: "brain.Event:2"}, which TensorBoard expects.
// TensorBoard reads every file in a run directory whose name contains "tfevents".
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#if !defined(_WIN32)
#include <unistd.h>
#endif

#include "tsdl/tensorboard/histogram.hpp"
#include "tsdl/tensorboard/protobuf_wire.hpp"
#include "tsdl/tensorboard/record.hpp"

namespace tsdl::tensorboard {

// Returns the seconds since the Unix epoch, with sub-second resolution, as Event.wall_time has it.
inline double wall_time_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Returns the host name for event file names, with '/' and '\' replaced by '_' so that it is one
// path component, or "localhost" when the name is not available.
inline std::string host_name() {
  std::string name;
#if !defined(_WIN32)
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) == 0) name = buffer;
#endif
  if (name.empty()) name = "localhost";
  for (char& c : name) {
    if (c == '/' || c == '\\') c = '_';
  }
  return name;
}

// Returns the bytes of Event{wall_time, file_version}.
inline std::string encode_file_version_event(double wall_time, const std::string& file_version = "brain.Event:2") {
  ProtobufWriter event;
  event.add_double(1, wall_time);
  event.add_bytes(3, file_version);
  return event.bytes();
}

// Returns the bytes of Event{wall_time, step, summary: Summary{value: [value]}}, where `value` is an
// encoded Summary.Value.
inline std::string encode_summary_event(double wall_time, std::int64_t step, const std::string& value) {
  ProtobufWriter summary;
  summary.add_bytes(1, value);
  ProtobufWriter event;
  event.add_double(1, wall_time);
  event.add_int64(2, step);
  event.add_bytes(5, summary.bytes());
  return event.bytes();
}

inline std::string encode_scalar_value(const std::string& tag, float value) {
  ProtobufWriter summary_value;
  summary_value.add_bytes(1, tag);
  summary_value.add_float(2, value);
  return summary_value.bytes();
}

inline std::string encode_histogram_value(const std::string& tag, const Histogram& histogram) {
  ProtobufWriter histo;
  histo.add_double(1, histogram.min);
  histo.add_double(2, histogram.max);
  histo.add_double(3, histogram.num);
  histo.add_double(4, histogram.sum);
  histo.add_double(5, histogram.sum_squares);
  histo.add_packed_doubles(6, histogram.bucket_limit);
  histo.add_packed_doubles(7, histogram.bucket);
  ProtobufWriter summary_value;
  summary_value.add_bytes(1, tag);
  summary_value.add_bytes(5, histo.bytes());
  return summary_value.bytes();
}

class EventFileWriter {
 public:
  // Creates `log_dir` with its parents and a new file in it named
  // events.out.tfevents.<Unix seconds>.<host name>, then writes the file_version event. When that
  // name is taken, as by a second writer in the same second, ".1", ".2", ... is appended, so an
  // existing file is never overwritten. Throws std::runtime_error naming the path on failure.
  explicit EventFileWriter(const std::filesystem::path& log_dir) {
    std::error_code error;
    std::filesystem::create_directories(log_dir, error);
    if (error) {
      throw std::runtime_error("EventFileWriter: failed to create log directory \"" + log_dir.string() +
                               "\": " + error.message());
    }
    const double now = wall_time_now();
    const std::string base = "events.out.tfevents." + std::to_string(static_cast<long long>(now)) + "." + host_name();
    for (int attempt = 0; file_ == nullptr; ++attempt) {
      path_ = log_dir / (attempt == 0 ? base : base + "." + std::to_string(attempt));
      errno = 0;
      // "x" makes fopen fail with EEXIST instead of truncating an existing file (C11, glibc).
      file_ = std::fopen(path_.string().c_str(), "wbx");
      if (file_ == nullptr && (errno != EEXIST || attempt >= 1000)) {
        throw std::runtime_error("EventFileWriter: failed to create \"" + path_.string() + "\": " + std::strerror(errno));
      }
    }
    write_event(encode_file_version_event(now));
    flush();
  }

  ~EventFileWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  EventFileWriter(const EventFileWriter&) = delete;
  EventFileWriter& operator=(const EventFileWriter&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes a scalar as Summary.Value.simple_value, a 32-bit float as TensorBoard stores it.
  void add_scalar(const std::string& tag, double value, std::int64_t step) {
    write_event(encode_summary_event(wall_time_now(), step, encode_scalar_value(tag, static_cast<float>(value))));
  }

  void add_histogram(const std::string& tag, const Histogram& histogram, std::int64_t step) {
    write_event(encode_summary_event(wall_time_now(), step, encode_histogram_value(tag, histogram)));
  }

  // Writes the histogram of `count` values in `bucket_count` equal-width buckets.
  template <typename Scalar>
  void add_histogram(const std::string& tag, const Scalar* values, std::size_t count, std::int64_t step,
                     int bucket_count = 30) {
    add_histogram(tag, make_histogram(values, count, bucket_count), step);
  }

  // Writes the encoded Event message `event` as one record.
  void write_event(const std::string& event) {
    check_open("write_event");
    const std::string record = frame_record(event);
    if (std::fwrite(record.data(), 1, record.size(), file_) != record.size()) {
      throw std::runtime_error("EventFileWriter: failed to write to \"" + path_.string() + "\": " + std::strerror(errno));
    }
  }

  // Hands the buffered records to the operating system, so that TensorBoard can read them.
  void flush() {
    check_open("flush");
    if (std::fflush(file_) != 0) {
      throw std::runtime_error("EventFileWriter: failed to flush \"" + path_.string() + "\": " + std::strerror(errno));
    }
  }

  // Flushes and closes the file; later writes throw std::logic_error. Closing twice does nothing.
  void close() {
    if (file_ == nullptr) return;
    const int result = std::fclose(file_);
    file_ = nullptr;
    if (result != 0) {
      throw std::runtime_error("EventFileWriter: failed to close \"" + path_.string() + "\": " + std::strerror(errno));
    }
  }

 private:
  void check_open(const char* method) const {
    if (file_ == nullptr) {
      throw std::logic_error(std::string("EventFileWriter::") + method + ": \"" + path_.string() + "\" is closed");
    }
  }

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

}  // namespace tsdl::tensorboard
