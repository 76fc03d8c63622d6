// Feature scalers: per-feature affine maps x' = (x - offset) / scale, fitted on training data.
//
// ScalerKind::kMinMax sets offset = min and scale = max - min, so training values map to [0, 1].
// ScalerKind::kStandard sets offset = mean and scale = population standard deviation (divisor n).
// A constant column gets scale 1 in both kinds. NaN cells are ignored when fitting and stay NaN
// when transforming. With ScalerScope::kPerMachine every machine gets its own parameters.
//
// The usual pipeline scales the raw telemetry rows (TelemetrySet) before average_windows. Window
// means of scaled rows equal the scaled window means, because the map is affine, so either order
// gives the same windows.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "tsdl/data/error.hpp"
#include "tsdl/data/matrix.hpp"
#include "tsdl/data/telemetry.hpp"

namespace tsdl::data {

enum class ScalerKind { kMinMax, kStandard };
enum class ScalerScope { kPooled, kPerMachine };

// Offset and scale per feature; transformed value = (value - offset) / scale.
struct ScalerParameters {
  Eigen::VectorXd offset;
  Eigen::VectorXd scale;
};

class Scaler {
 public:
  explicit Scaler(ScalerKind kind = ScalerKind::kStandard, ScalerScope scope = ScalerScope::kPooled)
      : kind_(kind), scope_(scope) {}

  ScalerKind kind() const { return kind_; }
  ScalerScope scope() const { return scope_; }
  bool fitted() const { return fitted_; }
  const std::vector<std::string>& feature_names() const { return feature_names_; }

  // Fits pooled parameters on `rows` (rows, features). Throws std::logic_error for a per-machine
  // scaler and DataError when a column has no finite value.
  void fit(const RowMatrix& rows, const std::vector<std::string>& feature_names = {}) {
    if (scope_ != ScalerScope::kPooled) throw std::logic_error("fit(RowMatrix) needs a pooled scaler; fit a TelemetrySet instead");
    pooled_ = compute({&rows}, feature_names);
    per_machine_.clear();
    feature_names_ = feature_names;
    fitted_ = true;
  }

  // Fits on the rows of `train`: all machines together (pooled) or each machine on its own rows
  // (per-machine). Throws DataError when a column has no finite value (in some machine, for
  // per-machine scalers).
  void fit(const TelemetrySet& train) {
    per_machine_.clear();
    if (scope_ == ScalerScope::kPooled) {
      std::vector<const RowMatrix*> blocks;
      for (const MachineSeries& series : train.machines) blocks.push_back(&series.values);
      pooled_ = compute(blocks, train.feature_names);
    } else {
      for (const MachineSeries& series : train.machines) {
        per_machine_[series.machine_id] = compute({&series.values}, train.feature_names, series.machine_id);
      }
    }
    feature_names_ = train.feature_names;
    fitted_ = true;
  }

  // Returns the parameters used for `machine_id` (ignored by pooled scalers). Throws
  // std::logic_error before fit and DataError for a machine the per-machine scaler was not fitted on.
  const ScalerParameters& parameters(int machine_id = 0) const {
    if (!fitted_) throw std::logic_error("scaler is not fitted; call fit() or Scaler::load() first");
    if (scope_ == ScalerScope::kPooled) return pooled_;
    const auto found = per_machine_.find(machine_id);
    if (found == per_machine_.end()) {
      throw DataError("per-machine scaler has no parameters for machine " + std::to_string(machine_id) +
                      "; fit it on rows of that machine (for example its training time range)");
    }
    return found->second;
  }

  // Scales `rows` in place with the parameters of `machine_id` (ignored by pooled scalers).
  // Throws DataError when the column count differs from the fitted feature count.
  void transform(RowMatrix& rows, int machine_id = 0) const {
    const ScalerParameters& p = parameters(machine_id);
    check_columns(rows.cols(), p);
    rows = ((rows.rowwise() - p.offset.transpose()).array().rowwise() / p.scale.transpose().array()).matrix();
  }

  // Undoes transform() on `rows` in place.
  void inverse_transform(RowMatrix& rows, int machine_id = 0) const {
    const ScalerParameters& p = parameters(machine_id);
    check_columns(rows.cols(), p);
    rows = ((rows.array().rowwise() * p.scale.transpose().array()).rowwise() + p.offset.transpose().array()).matrix();
  }

  // Scales every machine of `set` in place. Throws DataError when the feature names differ from
  // the fitted ones or, for per-machine scalers, when a machine was not fitted.
  void transform(TelemetrySet& set) const {
    check_names(set.feature_names);
    for (MachineSeries& series : set.machines) transform(series.values, series.machine_id);
  }

  // Writes the parameters as text (numbers in shortest round-trip form). Throws std::logic_error
  // before fit and DataError when the file cannot be written.
  void save(const std::filesystem::path& path) const {
    if (!fitted_) throw std::logic_error("scaler is not fitted; nothing to save");
    std::string text = "tsdl-scaler 1\n";
    text += std::string("kind ") + (kind_ == ScalerKind::kMinMax ? "min-max" : "standard") + "\n";
    text += std::string("scope ") + (scope_ == ScalerScope::kPooled ? "pooled" : "per-machine") + "\n";
    text += "features " + std::to_string(feature_count()) + "\n";
    for (const std::string& name : feature_names_) text += "name " + name + "\n";
    if (scope_ == ScalerScope::kPooled) {
      text += "parameters pooled\n";
      append_parameters(text, pooled_);
    } else {
      for (const auto& [machine_id, p] : per_machine_) {
        text += "parameters machine " + std::to_string(machine_id) + "\n";
        append_parameters(text, p);
      }
    }
    text += "end\n";

    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw DataError(path.string() + ": failed to write scaler file");
  }

  // Reads a file written by save(). Throws DataError "FILE:LINE: ..." for a missing file, another
  // format or version, a truncated file, an invalid number, or a non-positive or non-finite scale.
  static Scaler load(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": failed to open scaler file: file not found or not readable");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
    LineCursor cursor{path, lines, 0};

    cursor.expect_exact("tsdl-scaler 1", "expected the header 'tsdl-scaler 1' of a tsdl scaler file");
    const std::string kind = cursor.value_after("kind ");
    if (kind != "min-max" && kind != "standard") cursor.fail_previous("invalid kind '" + kind + "': expected min-max or standard");
    const std::string scope = cursor.value_after("scope ");
    if (scope != "pooled" && scope != "per-machine") {
      cursor.fail_previous("invalid scope '" + scope + "': expected pooled or per-machine");
    }
    Scaler scaler(kind == "min-max" ? ScalerKind::kMinMax : ScalerKind::kStandard,
                  scope == "pooled" ? ScalerScope::kPooled : ScalerScope::kPerMachine);

    const std::string features_text = cursor.value_after("features ");
    const long long features = cursor.previous_integer(features_text, "feature count");
    if (features < 1) cursor.fail_previous("invalid feature count '" + features_text + "': expected at least 1");

    while (cursor.peek_starts_with("name ")) scaler.feature_names_.push_back(cursor.value_after("name "));
    if (!scaler.feature_names_.empty() && static_cast<long long>(scaler.feature_names_.size()) != features) {
      cursor.fail_previous(std::to_string(scaler.feature_names_.size()) + " feature names for " +
                           std::to_string(features) + " features");
    }

    while (!cursor.peek_starts_with("end")) {
      const std::string target = cursor.value_after("parameters ");
      ScalerParameters p = cursor.read_parameters(features);
      if (scaler.scope_ == ScalerScope::kPooled) {
        if (target != "pooled") cursor.fail_previous("expected 'parameters pooled' in a pooled scaler file");
        scaler.pooled_ = p;
      } else {
        const std::string prefix = "machine ";
        if (target.compare(0, prefix.size(), prefix) != 0) cursor.fail_previous("expected 'parameters machine ID'");
        const int machine_id = static_cast<int>(cursor.previous_integer(target.substr(prefix.size()), "machine id"));
        scaler.per_machine_[machine_id] = p;
      }
    }
    cursor.expect_exact("end", "expected 'end'");
    if (scaler.scope_ == ScalerScope::kPerMachine && scaler.per_machine_.empty()) {
      cursor.fail_previous("per-machine scaler file has no 'parameters machine ID' block");
    }
    if (scaler.scope_ == ScalerScope::kPooled && scaler.pooled_.scale.size() == 0) {
      cursor.fail_previous("pooled scaler file has no 'parameters pooled' block");
    }
    scaler.fitted_ = true;
    return scaler;
  }

 private:
  // Line reader for load(); every failure names the file and the 1-based line.
  struct LineCursor {
    const std::filesystem::path& path;
    const std::vector<std::string>& lines;
    std::size_t next = 0;

    [[noreturn]] void fail_at(std::size_t line_index, const std::string& problem) const {
      throw DataError(path.string() + ":" + std::to_string(line_index + 1) + ": invalid scaler file: " + problem);
    }
    [[noreturn]] void fail_previous(const std::string& problem) const { fail_at(next == 0 ? 0 : next - 1, problem); }

    const std::string& take(const std::string& expected) {
      if (next >= lines.size()) fail_at(lines.size(), "file ends early (truncated); " + expected);
      return lines[next++];
    }
    void expect_exact(const std::string& text, const std::string& problem) {
      if (take(problem) != text) fail_previous(problem + ", got '" + lines[next - 1] + "'");
    }
    std::string value_after(const std::string& prefix) {
      const std::string& line = take("expected '" + prefix + "...'");
      if (line.compare(0, prefix.size(), prefix) != 0) fail_previous("expected '" + prefix + "...', got '" + line + "'");
      return line.substr(prefix.size());
    }
    bool peek_starts_with(const std::string& prefix) const {
      return next < lines.size() && lines[next].compare(0, prefix.size(), prefix) == 0;
    }
    long long previous_integer(const std::string& text, const char* what) const {
      long long value = 0;
      const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        fail_previous(std::string("invalid ") + what + " '" + text + "': expected an integer");
      }
      return value;
    }
    ScalerParameters read_parameters(long long features) {
      ScalerParameters p;
      p.offset.resize(features);
      p.scale.resize(features);
      for (long long f = 0; f < features; ++f) {
        const std::string& line = take("expected 'OFFSET SCALE' for feature " + std::to_string(f + 1));
        std::istringstream fields(line);
        std::string offset_text, scale_text, rest;
        fields >> offset_text >> scale_text;
        if (fields >> rest) fail_previous("expected two numbers 'OFFSET SCALE', got '" + line + "'");
        const std::optional<double> offset = parse_number(offset_text);
        const std::optional<double> scale = parse_number(scale_text);
        if (!offset || offset_text.empty() || std::isnan(*offset)) fail_previous("invalid offset '" + offset_text + "'");
        if (!scale || scale_text.empty() || !(*scale > 0.0)) {
          fail_previous("invalid scale '" + scale_text + "': expected a finite number above 0");
        }
        p.offset[f] = *offset;
        p.scale[f] = *scale;
      }
      return p;
    }
  };

  Eigen::Index feature_count() const {
    return scope_ == ScalerScope::kPooled || per_machine_.empty() ? pooled_.offset.size()
                                                                   : per_machine_.begin()->second.offset.size();
  }

  void check_columns(Eigen::Index columns, const ScalerParameters& p) const {
    if (columns != p.offset.size()) {
      throw DataError("scaler was fitted on " + std::to_string(p.offset.size()) + " features but the data has " +
                      std::to_string(columns) + " columns");
    }
  }

  void check_names(const std::vector<std::string>& names) const {
    if (!feature_names_.empty() && names != feature_names_) {
      std::string fitted, given;
      for (const std::string& name : feature_names_) fitted += " " + name;
      for (const std::string& name : names) given += " " + name;
      throw DataError("scaler was fitted on features [" + fitted + " ] but the data has [" + given + " ]");
    }
  }

  static void append_parameters(std::string& text, const ScalerParameters& p) {
    for (Eigen::Index f = 0; f < p.offset.size(); ++f) {
      char buffer[64];
      auto result = std::to_chars(buffer, buffer + sizeof(buffer), p.offset[f]);
      *result.ptr++ = ' ';
      result = std::to_chars(result.ptr, buffer + sizeof(buffer), p.scale[f]);
      text.append(buffer, result.ptr);
      text += '\n';
    }
  }

  // Fits parameters on the union of `blocks`, ignoring NaN cells.
  ScalerParameters compute(const std::vector<const RowMatrix*>& blocks, const std::vector<std::string>& names = {},
                           int machine_id = -1) const {
    Eigen::Index rows = 0;
    for (const RowMatrix* block : blocks) rows += block->rows();
    if (rows == 0) throw DataError("cannot fit scaler: the training data has no rows");
    const Eigen::Index features = blocks.front()->cols();
    const double infinity = std::numeric_limits<double>::infinity();
    Eigen::VectorXd low = Eigen::VectorXd::Constant(features, infinity);
    Eigen::VectorXd high = Eigen::VectorXd::Constant(features, -infinity);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(features);
    std::vector<std::int64_t> count(static_cast<std::size_t>(features), 0);
    for (const RowMatrix* block : blocks) {
      for (Eigen::Index r = 0; r < block->rows(); ++r) {
        for (Eigen::Index f = 0; f < features; ++f) {
          const double v = (*block)(r, f);
          if (std::isnan(v)) continue;
          low[f] = std::min(low[f], v);
          high[f] = std::max(high[f], v);
          sum[f] += v;
          ++count[static_cast<std::size_t>(f)];
        }
      }
    }

    ScalerParameters p;
    p.offset.resize(features);
    p.scale.resize(features);
    for (Eigen::Index f = 0; f < features; ++f) {
      if (count[static_cast<std::size_t>(f)] == 0) {
        const std::string name = f < static_cast<Eigen::Index>(names.size()) ? "feature '" + names[static_cast<std::size_t>(f)] + "'"
                                                                              : "column " + std::to_string(f + 1);
        throw DataError("cannot fit scaler: " + name + " has no finite value" +
                        (machine_id >= 0 ? " for machine " + std::to_string(machine_id) : std::string()));
      }
    }
    if (kind_ == ScalerKind::kMinMax) {
      for (Eigen::Index f = 0; f < features; ++f) {
        p.offset[f] = low[f];
        p.scale[f] = high[f] > low[f] ? high[f] - low[f] : 1.0;
      }
      return p;
    }

    // Second pass for the variance around the mean, which is more accurate than sum of squares.
    Eigen::VectorXd mean(features);
    for (Eigen::Index f = 0; f < features; ++f) mean[f] = sum[f] / static_cast<double>(count[static_cast<std::size_t>(f)]);
    Eigen::VectorXd squares = Eigen::VectorXd::Zero(features);
    for (const RowMatrix* block : blocks) {
      for (Eigen::Index r = 0; r < block->rows(); ++r) {
        for (Eigen::Index f = 0; f < features; ++f) {
          const double v = (*block)(r, f);
          if (!std::isnan(v)) squares[f] += (v - mean[f]) * (v - mean[f]);
        }
      }
    }
    for (Eigen::Index f = 0; f < features; ++f) {
      // A constant column can leave a rounding residue in `squares`, so test it by its range.
      const double deviation = std::sqrt(squares[f] / static_cast<double>(count[static_cast<std::size_t>(f)]));
      p.offset[f] = mean[f];
      p.scale[f] = high[f] > low[f] && deviation > 0.0 ? deviation : 1.0;
    }
    return p;
  }

  ScalerKind kind_;
  ScalerScope scope_;
  bool fitted_ = false;
  std::vector<std::string> feature_names_;
  ScalerParameters pooled_;
  std::map<int, ScalerParameters> per_machine_;
};

}  // namespace tsdl::data
