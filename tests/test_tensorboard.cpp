// TensorBoard event files: the writer in tsdl/tensorboard/ and the TensorBoard callback, checked by
// an independent reader in this file.
//
// The reader shares no code with the writer: it computes CRC-32C bit by bit (the writer uses the
// table in tsdl/serialization/crc32c.hpp), checks the masked CRC of every record's length and
// payload, and parses the protobuf wire format itself, rejecting truncated fields.
//
// Manual cross-check with protobuf's own parser: tests/data/read_tfevents.py decodes event files
// with a message class that protoc compiles from tests/data/tfevents_minimal.proto. With Debian's
// python3-protobuf 4.21.12 and protoc 3.21.12, on a file with the records of the "writer records
// decode" case below, it printed:
//   record 0: wall_time=1.79642e+09 step=0 file_version='brain.Event:2'
//   record 1: wall_time=1.79642e+09 step=0 tag='loss' simple_value=0.5
//   record 2: wall_time=1.79642e+09 step=1 tag='loss' simple_value=0.25
//   record 3: wall_time=1.79642e+09 step=1099511627776 tag='big step' simple_value=-3.5
//   record 4: wall_time=1.79642e+09 step=2 tag='values' histo min=0.0 max=9.0 num=10.0 sum=45.0
//     sum_squares=285.0 bucket_limit=[1.8, 3.6, 5.4, 7.2, 9.0] bucket=[2.0, 2.0, 2.0, 2.0, 2.0]
//   5 records, all CRCs valid
// It decoded the train and validation files of a TensorBoard callback run the same way, with tags
// epoch_loss, epoch_accuracy, epoch_learning_rate, time_distributed/kernel, time_distributed/bias,
// dense/kernel and dense/bias, and it reported "length CRC mismatch" on a file with one flipped bit.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "data/data_fixtures.hpp"
#include "tsdl/callbacks.hpp"
#include "tsdl/tensorboard/event_file_writer.hpp"
#include "tsdl/tsdl.hpp"

using namespace tsdl;
using tsdl_test::contains;
using tsdl_test::TempDir;

namespace {

// ---------------------------------------------------------------------------------------------
// Independent reader

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), one bit at a time.
std::uint32_t reader_crc32c(const unsigned char* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78U & (0U - (crc & 1U)));
  }
  return crc ^ 0xFFFFFFFFU;
}

std::uint32_t reader_masked_crc(const unsigned char* data, std::size_t size) {
  const std::uint32_t crc = reader_crc32c(data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

std::uint64_t read_little_endian(const unsigned char* data, int byte_count) {
  std::uint64_t value = 0;
  for (int i = 0; i < byte_count; ++i) value |= static_cast<std::uint64_t>(data[i]) << (8 * i);
  return value;
}

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Splits TFRecord bytes into payloads. Throws DecodeError on a truncated record or a CRC mismatch,
// naming the record and its byte offset.
std::vector<std::string> read_records(const std::string& bytes) {
  std::vector<std::string> payloads;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::string where = "record " + std::to_string(payloads.size()) + " at offset " + std::to_string(offset);
    if (bytes.size() - offset < 12) throw DecodeError(where + ": truncated header");
    const std::uint64_t length = read_little_endian(data + offset, 8);
    if (read_little_endian(data + offset + 8, 4) != reader_masked_crc(data + offset, 8)) {
      throw DecodeError(where + ": length CRC mismatch");
    }
    if (bytes.size() - offset - 12 < length + 4) throw DecodeError(where + ": truncated payload");
    const unsigned char* payload = data + offset + 12;
    if (read_little_endian(payload + length, 4) != reader_masked_crc(payload, length)) {
      throw DecodeError(where + ": payload CRC mismatch");
    }
    payloads.emplace_back(reinterpret_cast<const char*>(payload), length);
    offset += 12 + length + 4;
  }
  return payloads;
}

// One protobuf field: its number, wire type and value (varint, fixed bits or bytes).
struct Field {
  int number = 0;
  int wire_type = 0;
  std::uint64_t integer = 0;  // varint, or the bits of a fixed32 / fixed64 field
  std::string bytes;          // length-delimited
};

std::uint64_t read_varint(const std::string& message, std::size_t& offset) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (offset >= message.size()) throw DecodeError("truncated varint");
    const auto byte = static_cast<unsigned char>(message[offset++]);
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw DecodeError("varint longer than 10 bytes");
}

std::vector<Field> parse_fields(const std::string& message) {
  std::vector<Field> fields;
  std::size_t offset = 0;
  while (offset < message.size()) {
    const std::uint64_t key = read_varint(message, offset);
    Field field;
    field.number = static_cast<int>(key >> 3);
    field.wire_type = static_cast<int>(key & 7);
    if (field.wire_type == 0) {
      field.integer = read_varint(message, offset);
    } else if (field.wire_type == 1 || field.wire_type == 5) {
      const std::size_t size = field.wire_type == 1 ? 8 : 4;
      if (message.size() - offset < size) throw DecodeError("truncated fixed-size field " + std::to_string(field.number));
      field.integer = read_little_endian(reinterpret_cast<const unsigned char*>(message.data()) + offset,
                                         static_cast<int>(size));
      offset += size;
    } else if (field.wire_type == 2) {
      const std::uint64_t length = read_varint(message, offset);
      if (message.size() - offset < length) throw DecodeError("truncated bytes field " + std::to_string(field.number));
      field.bytes = message.substr(offset, length);
      offset += length;
    } else {
      throw DecodeError("unsupported wire type " + std::to_string(field.wire_type));
    }
    fields.push_back(field);
  }
  return fields;
}

double as_double(const Field& field) {
  REQUIRE(field.wire_type == 1);
  double value = 0.0;
  std::memcpy(&value, &field.integer, sizeof value);
  return value;
}

float as_float(const Field& field) {
  REQUIRE(field.wire_type == 5);
  const auto bits = static_cast<std::uint32_t>(field.integer);
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::vector<double> as_packed_doubles(const Field& field) {
  REQUIRE(field.wire_type == 2);
  REQUIRE(field.bytes.size() % 8 == 0);
  std::vector<double> values(field.bytes.size() / 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint64_t bits = read_little_endian(reinterpret_cast<const unsigned char*>(field.bytes.data()) + 8 * i, 8);
    std::memcpy(&values[i], &bits, sizeof bits);
  }
  return values;
}

struct DecodedHistogram {
  double min = 0, max = 0, num = 0, sum = 0, sum_squares = 0;
  std::vector<double> bucket_limit, bucket;
};

struct DecodedEvent {
  double wall_time = 0.0;
  std::int64_t step = 0;
  std::optional<std::string> file_version;
  std::string tag;
  std::optional<float> simple_value;
  std::optional<DecodedHistogram> histogram;
};

DecodedHistogram decode_histogram(const std::string& message) {
  DecodedHistogram histogram;
  for (const Field& field : parse_fields(message)) {
    switch (field.number) {
      case 1: histogram.min = as_double(field); break;
      case 2: histogram.max = as_double(field); break;
      case 3: histogram.num = as_double(field); break;
      case 4: histogram.sum = as_double(field); break;
      case 5: histogram.sum_squares = as_double(field); break;
      case 6: histogram.bucket_limit = as_packed_doubles(field); break;
      case 7: histogram.bucket = as_packed_doubles(field); break;
      default: FAIL("unexpected HistogramProto field " << field.number);
    }
  }
  return histogram;
}

// Decodes Event{wall_time, step, file_version | summary with one value}.
DecodedEvent decode_event(const std::string& payload) {
  DecodedEvent event;
  for (const Field& field : parse_fields(payload)) {
    if (field.number == 1) {
      event.wall_time = as_double(field);
    } else if (field.number == 2) {
      REQUIRE(field.wire_type == 0);
      event.step = static_cast<std::int64_t>(field.integer);
    } else if (field.number == 3) {
      REQUIRE(field.wire_type == 2);
      event.file_version = field.bytes;
    } else if (field.number == 5) {
      const std::vector<Field> summary = parse_fields(field.bytes);
      REQUIRE(summary.size() == 1);
      REQUIRE(summary[0].number == 1);
      for (const Field& value_field : parse_fields(summary[0].bytes)) {
        if (value_field.number == 1) {
          event.tag = value_field.bytes;
        } else if (value_field.number == 2) {
          event.simple_value = as_float(value_field);
        } else if (value_field.number == 5) {
          event.histogram = decode_histogram(value_field.bytes);
        } else {
          FAIL("unexpected Summary.Value field " << value_field.number);
        }
      }
    } else {
      FAIL("unexpected Event field " << field.number);
    }
  }
  return event;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<DecodedEvent> read_event_file(const std::filesystem::path& path) {
  std::vector<DecodedEvent> events;
  for (const std::string& payload : read_records(read_bytes(path))) events.push_back(decode_event(payload));
  return events;
}

// The only event file in `directory`.
std::filesystem::path event_file_in(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) files.push_back(entry.path());
  REQUIRE(files.size() == 1);
  return files[0];
}

// Scalar values of `tag` by step.
std::map<std::int64_t, float> scalars(const std::vector<DecodedEvent>& events, const std::string& tag) {
  std::map<std::int64_t, float> values;
  for (const DecodedEvent& event : events) {
    if (event.tag == tag && event.simple_value) values[event.step] = *event.simple_value;
  }
  return values;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Reader self-checks

TEST_CASE("reader CRC-32C matches the check value") {
  const std::string check = "123456789";
  CHECK(reader_crc32c(reinterpret_cast<const unsigned char*>(check.data()), check.size()) == 0xE3069283U);
}

// ---------------------------------------------------------------------------------------------
// EventFileWriter

TEST_CASE("writer records decode") {
  TempDir dir;
  std::filesystem::path path;
  const double before = tensorboard::wall_time_now();
  {
    tensorboard::EventFileWriter writer(dir.path() / "run");
    path = writer.path();
    writer.add_scalar("loss", 0.5, 0);
    writer.add_scalar("loss", 0.25, 1);
    writer.add_scalar("big step", -3.5, std::int64_t{1} << 40);
    const std::vector<double> values = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    writer.add_histogram("values", values.data(), values.size(), 2, 5);
  }
  const double after = tensorboard::wall_time_now();

  const std::string name = path.filename().string();
  CHECK(path.parent_path() == dir.path() / "run");
  CHECK(name.rfind("events.out.tfevents.", 0) == 0);
  CHECK(name.size() > std::string("events.out.tfevents.").size() + 10);
  CHECK(name.find(tensorboard::host_name()) != std::string::npos);

  const std::vector<DecodedEvent> events = read_event_file(path);
  REQUIRE(events.size() == 5);
  CHECK(events[0].file_version == std::optional<std::string>("brain.Event:2"));
  CHECK(events[0].step == 0);
  for (const DecodedEvent& event : events) {
    CHECK(event.wall_time >= std::floor(before));
    CHECK(event.wall_time <= after);
  }

  CHECK(events[1].tag == "loss");
  CHECK(events[1].step == 0);
  CHECK(events[1].simple_value == std::optional<float>(0.5f));
  CHECK(events[2].step == 1);
  CHECK(events[2].simple_value == std::optional<float>(0.25f));
  CHECK(events[3].tag == "big step");
  CHECK(events[3].step == std::int64_t{1} << 40);
  CHECK(events[3].simple_value == std::optional<float>(-3.5f));

  REQUIRE(events[4].histogram);
  const DecodedHistogram& histogram = *events[4].histogram;
  CHECK(events[4].tag == "values");
  CHECK(events[4].step == 2);
  CHECK(histogram.min == 0.0);
  CHECK(histogram.max == 9.0);
  CHECK(histogram.num == 10.0);
  CHECK(histogram.sum == 45.0);
  CHECK(histogram.sum_squares == 285.0);
  REQUIRE(histogram.bucket_limit.size() == 5);
  CHECK(histogram.bucket_limit[0] == doctest::Approx(1.8));
  CHECK(histogram.bucket_limit[3] == doctest::Approx(7.2));
  CHECK(histogram.bucket_limit[4] == 9.0);
  CHECK(histogram.bucket == std::vector<double>{2, 2, 2, 2, 2});
}

TEST_CASE("writer encodes negative steps") {
  TempDir dir;
  tensorboard::EventFileWriter writer(dir.path());
  writer.add_scalar("x", 1.0, -1);
  writer.close();
  const std::vector<DecodedEvent> events = read_event_file(writer.path());
  REQUIRE(events.size() == 2);
  CHECK(events[1].step == -1);
  CHECK_THROWS_AS(writer.add_scalar("x", 1.0, 0), std::logic_error);
}

TEST_CASE("histogram of equal values has one bucket") {
  const std::vector<float> zeros(6, 0.0f);
  const tensorboard::Histogram histogram = tensorboard::make_histogram(zeros.data(), zeros.size());
  CHECK(histogram.num == 6.0);
  CHECK(histogram.bucket_limit == std::vector<double>{0.0});
  CHECK(histogram.bucket == std::vector<double>{6.0});
}

TEST_CASE("histogram skips non-finite values") {
  const std::vector<double> values = {1.0, NAN, 3.0, INFINITY, -1.0};
  const tensorboard::Histogram histogram = tensorboard::make_histogram(values.data(), values.size(), 4);
  CHECK(histogram.num == 3.0);
  CHECK(histogram.min == -1.0);
  CHECK(histogram.max == 3.0);
  CHECK(histogram.sum == 3.0);
  CHECK(histogram.bucket == std::vector<double>{1, 0, 1, 1});
  CHECK_THROWS_WITH_AS(tensorboard::make_histogram(values.data(), values.size(), 0),
                       contains("bucket_count must be >= 1, got 0"), std::invalid_argument);
}

TEST_CASE("histogram bucket counts add up") {
  Random rng(5);
  std::vector<float> values(1000);
  for (float& value : values) value = static_cast<float>(rng.normal(0.0, 1.0));
  const tensorboard::Histogram histogram = tensorboard::make_histogram(values.data(), values.size());
  REQUIRE(histogram.bucket.size() == 30);
  double total = 0.0;
  for (double count : histogram.bucket) total += count;
  CHECK(total == 1000.0);
  // Each value lies in its bucket: [previous limit, limit), the last bucket closed.
  for (float value : values) {
    std::size_t index = 0;
    while (index + 1 < histogram.bucket_limit.size() && value >= histogram.bucket_limit[index]) ++index;
    CHECK(value <= histogram.bucket_limit[index]);
  }
}

TEST_CASE("two writers in one second get separate files") {
  TempDir dir;
  tensorboard::EventFileWriter first(dir.path());
  tensorboard::EventFileWriter second(dir.path());
  CHECK(first.path() != second.path());
  CHECK(read_event_file(first.path()).size() == 1);
  CHECK(read_event_file(second.path()).size() == 1);
}

// ---------------------------------------------------------------------------------------------
// Corruption: the reader must be able to fail.

TEST_CASE("reader reports corrupted bytes") {
  TempDir dir;
  std::filesystem::path path;
  {
    tensorboard::EventFileWriter writer(dir.path());
    path = writer.path();
    writer.add_scalar("loss", 0.5, 0);
  }
  const std::string good = read_bytes(path);
  REQUIRE(read_records(good).size() == 2);
  const std::size_t second_record = 12 + read_little_endian(reinterpret_cast<const unsigned char*>(good.data()), 8) + 4;

  SUBCASE("payload byte") {
    std::string bad = good;
    bad[second_record + 12 + 3] ^= 0x01;
    CHECK_THROWS_WITH_AS(read_records(bad),
                         ("record 1 at offset " + std::to_string(second_record) + ": payload CRC mismatch").c_str(),
                         DecodeError);
  }
  SUBCASE("length byte") {
    std::string bad = good;
    bad[0] ^= 0x10;
    CHECK_THROWS_WITH_AS(read_records(bad), "record 0 at offset 0: length CRC mismatch", DecodeError);
  }
  SUBCASE("payload CRC byte") {
    std::string bad = good;
    bad[bad.size() - 1] ^= 0x80;
    CHECK_THROWS_WITH_AS(read_records(bad), contains("record 1"), DecodeError);
  }
  SUBCASE("truncated file") {
    CHECK_THROWS_WITH_AS(read_records(good.substr(0, good.size() - 2)), contains("truncated payload"), DecodeError);
  }
}

// ---------------------------------------------------------------------------------------------
// TensorBoard callback

namespace {

// Input (6 steps, 2 features) -> TimeDistributed(Dense(3)) -> Conv1D(2, 3) -> Flatten -> Dense(1).
Sequential<float> make_model() {
  Sequential<float> model;
  model.add(TimeDistributed<float>(Dense<float>(3, "relu")));
  model.add(Conv1D<float>(2, 3, 1, "valid", "relu"));
  model.add(Flatten<float>());
  model.add(Dense<float>(1, "sigmoid"));
  model.build({6, 2}, 11);
  model.compile(BinaryCrossEntropy(), std::make_unique<Adam<float>>(0.01));
  return model;
}

void make_data(Index count, Tensor<float>& x, Tensor<float>& y) {
  Random rng(3);
  x.resize({count, 6, 2});
  y.resize({count, 1});
  for (Index i = 0; i < x.size(); ++i) x[i] = static_cast<float>(rng.normal(0.0, 1.0));
  for (Index i = 0; i < count; ++i) y[i] = x.at(i, 0, 0) > 0.0f ? 1.0f : 0.0f;
}

}  // namespace

TEST_CASE("TensorBoard callback writes train and validation runs") {
  TempDir dir;
  Sequential<float> model = make_model();
  Tensor<float> x, y;
  make_data(40, x, y);
  auto tensorboard = std::make_shared<TensorBoard<float>>(dir.path() / "logs");
  FitOptions options;
  options.epochs = 3;
  options.batch_size = 8;
  options.validation_split = 0.25;
  options.callbacks = {tensorboard};

  const History history = model.fit(x, y, options);

  const auto train_path = event_file_in(dir.path() / "logs" / "train");
  const auto validation_path = event_file_in(dir.path() / "logs" / "validation");
  CHECK(train_path == tensorboard->train_file());
  CHECK(validation_path == tensorboard->validation_file());
  const std::vector<DecodedEvent> train = read_event_file(train_path);
  const std::vector<DecodedEvent> validation = read_event_file(validation_path);
  REQUIRE(!train.empty());
  REQUIRE(!validation.empty());
  CHECK(train[0].file_version == std::optional<std::string>("brain.Event:2"));
  CHECK(validation[0].file_version == std::optional<std::string>("brain.Event:2"));

  // Scalars: one per epoch, at steps 0, 1, 2, with the History's values rounded to float.
  const auto train_loss = scalars(train, "epoch_loss");
  const auto train_accuracy = scalars(train, "epoch_accuracy");
  const auto learning_rate = scalars(train, "epoch_learning_rate");
  const auto validation_loss = scalars(validation, "epoch_loss");
  const auto validation_accuracy = scalars(validation, "epoch_accuracy");
  REQUIRE(train_loss.size() == 3);
  REQUIRE(train_accuracy.size() == 3);
  REQUIRE(learning_rate.size() == 3);
  REQUIRE(validation_loss.size() == 3);
  REQUIRE(validation_accuracy.size() == 3);
  for (std::int64_t step = 0; step < 3; ++step) {
    const auto epoch = static_cast<std::size_t>(step);
    INFO("step " << step);
    CHECK(train_loss.at(step) == static_cast<float>(history.loss[epoch]));
    CHECK(train_accuracy.at(step) == static_cast<float>(history.accuracy[epoch]));
    CHECK(learning_rate.at(step) == 0.01f);
    CHECK(validation_loss.at(step) == static_cast<float>(history.val_loss[epoch]));
    CHECK(validation_accuracy.at(step) == static_cast<float>(history.val_accuracy[epoch]));
  }
  CHECK(scalars(validation, "epoch_learning_rate").empty());

  // Histograms: every kernel and bias at every epoch, tagged <layer name>/<parameter name>.
  std::map<std::string, std::vector<std::int64_t>> histogram_steps;
  std::map<std::string, DecodedHistogram> last_histogram;
  for (const DecodedEvent& event : train) {
    if (!event.histogram) continue;
    histogram_steps[event.tag].push_back(event.step);
    last_histogram[event.tag] = *event.histogram;
  }
  const std::vector<std::string> expected_tags = {"conv1d/bias", "conv1d/kernel", "dense/bias",
                                                  "dense/kernel", "time_distributed/bias", "time_distributed/kernel"};
  std::vector<std::string> tags;
  for (const auto& [tag, steps] : histogram_steps) tags.push_back(tag);
  CHECK(tags == expected_tags);
  for (const auto& [tag, steps] : histogram_steps) {
    INFO(tag);
    CHECK(steps == std::vector<std::int64_t>{0, 1, 2});
  }

  // The last histograms describe the final weights.
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (const Parameter<float>& parameter : model.layer(i).parameters()) {
      const std::string tag = model.layer(i).name() + "/" + parameter.name;
      INFO(tag);
      REQUIRE(last_histogram.count(tag) == 1);
      const DecodedHistogram& histogram = last_histogram[tag];
      const auto values = parameter.value->array();
      CHECK(histogram.num == static_cast<double>(parameter.value->size()));
      CHECK(histogram.min == static_cast<double>(values.minCoeff()));
      CHECK(histogram.max == static_cast<double>(values.maxCoeff()));
      CHECK(histogram.sum == doctest::Approx(values.cast<double>().sum()).epsilon(1e-9));
      CHECK(histogram.sum_squares == doctest::Approx(values.cast<double>().square().sum()).epsilon(1e-9));
      REQUIRE(!histogram.bucket_limit.empty());
      CHECK(histogram.bucket_limit.back() == histogram.max);
      CHECK(histogram.bucket.size() == histogram.bucket_limit.size());
      double total = 0.0;
      for (double count : histogram.bucket) total += count;
      CHECK(total == histogram.num);
    }
  }
  // The TimeDistributed histograms hold the wrapped Dense layer's weights: 2 inputs x 3 units.
  CHECK(last_histogram["time_distributed/kernel"].num == 6.0);
  CHECK(last_histogram["time_distributed/bias"].num == 3.0);
}

TEST_CASE("TensorBoard histogram_freq and no validation") {
  TempDir dir;
  Sequential<float> model = make_model();
  Tensor<float> x, y;
  make_data(16, x, y);
  TensorBoardOptions tensorboard_options;
  tensorboard_options.histogram_freq = 2;
  tensorboard_options.write_learning_rate = false;
  FitOptions options;
  options.epochs = 5;
  options.batch_size = 8;
  options.callbacks = {std::make_shared<TensorBoard<float>>(dir.path(), tensorboard_options)};

  model.fit(x, y, options);

  CHECK_FALSE(std::filesystem::exists(dir.path() / "validation"));
  const std::vector<DecodedEvent> train = read_event_file(event_file_in(dir.path() / "train"));
  CHECK(scalars(train, "epoch_loss").size() == 5);
  CHECK(scalars(train, "epoch_learning_rate").empty());
  std::vector<std::int64_t> kernel_steps;
  for (const DecodedEvent& event : train) {
    if (event.histogram && event.tag == "dense/kernel") kernel_steps.push_back(event.step);
  }
  CHECK(kernel_steps == std::vector<std::int64_t>{0, 2, 4});
}

TEST_CASE("TensorBoard rejects invalid arguments") {
  TensorBoardOptions negative;
  negative.histogram_freq = -1;
  CHECK_THROWS_WITH_AS(TensorBoard<float>("logs", negative), contains("histogram_freq must be >= 0, got -1"),
                       std::invalid_argument);
  TensorBoardOptions no_buckets;
  no_buckets.histogram_buckets = 0;
  CHECK_THROWS_WITH_AS(TensorBoard<float>("logs", no_buckets), contains("histogram_buckets must be >= 1, got 0"),
                       std::invalid_argument);
  CHECK_THROWS_AS(TensorBoard<float>(""), std::invalid_argument);
}

TEST_CASE("TensorBoard reports an unusable log directory") {
  TempDir dir;
  const auto blocker = dir.write("not_a_directory", "x");
  Sequential<float> model = make_model();
  Tensor<float> x, y;
  make_data(8, x, y);
  FitOptions options;
  options.callbacks = {std::make_shared<TensorBoard<float>>(blocker / "logs")};
  CHECK_THROWS_WITH_AS(model.fit(x, y, options), contains("failed to create log directory"), std::runtime_error);
}
