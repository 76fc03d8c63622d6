// LSTM: long short-term memory layer with Keras's gate order and initialisers.
//
//   input             (batch, time, features)
//   output            (batch, units), the last hidden state; (batch, time, units) with return_sequences
//   kernel            (features, 4 * units)   glorot-uniform
//   recurrent_kernel  (units, 4 * units)      orthogonal
//   bias              (4 * units)             zeros, except 1 for the forget gate (unit_forget_bias)
// Those are Keras's initialisers (LstmInitializer::keras). LstmInitializer::pytorch instead draws
// every weight and bias from U(-1/sqrt(units), 1/sqrt(units)), as PyTorch's nn.LSTM does; PyTorch
// adds two such biases, so here the bias is the sum of two draws.
// Columns of the three parameters are grouped by gate in the order input, forget, cell, output
// (i, f, c, o). For each time step t, with h_{-1} = c_{-1} = 0:
//   z_t            = x_t kernel + h_{t-1} recurrent_kernel + bias     split into z_i, z_f, z_c, z_o
//   input_gate     i_t = sigmoid(z_i)
//   forget_gate    f_t = sigmoid(z_f)
//   cell_candidate g_t = tanh(z_c)
//   output_gate    o_t = sigmoid(z_o)
//   cell           c_t = f_t * c_{t-1} + i_t * g_t
//   hidden         h_t = o_t * tanh(c_t)
// The layer outputs hidden, never a gate. Internally every per-step buffer is time-major,
// (time * batch, ...), so that the rows of one time step are contiguous for the matrix products.
#pragma once

#include "tsdl/activation.hpp"
#include "tsdl/initializers.hpp"
#include "tsdl/layer.hpp"
#include "tsdl/parallel_product.hpp"

namespace tsdl {

enum class LstmInitializer { keras, pytorch };

template <typename T>
class LSTM : public Layer<T> {
 public:
  explicit LSTM(Index units, bool return_sequences = false, LstmInitializer initializer = LstmInitializer::keras)
      : units_(units), return_sequences_(return_sequences), initializer_(initializer) {
    if (units <= 0) throw std::invalid_argument("LSTM: units must be positive, got " + std::to_string(units));
  }

  std::string type_name() const override { return "LSTM"; }
  Index units() const { return units_; }
  bool return_sequences() const { return return_sequences_; }
  LstmInitializer initializer() const { return initializer_; }

  std::vector<Parameter<T>> parameters() override {
    return {{"kernel", &kernel_, &dkernel_},
            {"recurrent_kernel", &recurrent_kernel_, &drecurrent_kernel_},
            {"bias", &bias_, &dbias_}};
  }

 protected:
  Shape build_impl(const Shape& input_shape, Random& rng) override {
    if (input_shape.size() != 2 || input_shape[0] <= 0 || input_shape[1] <= 0) {
      throw std::invalid_argument(this->describe() + ": expected input of shape (batch, time, features), got " +
                                  shape_to_string(input_shape, "batch"));
    }
    time_ = input_shape[0];
    features_ = input_shape[1];
    const Index gates = 4 * units_;

    kernel_.resize({features_, gates});
    dkernel_.resize(kernel_.shape());
    recurrent_kernel_.resize({units_, gates});
    drecurrent_kernel_.resize(recurrent_kernel_.shape());
    bias_.resize({gates});
    dbias_.resize({gates});

    if (initializer_ == LstmInitializer::keras) {
      glorot_uniform(kernel_, features_, gates, rng);
      orthogonal(recurrent_kernel_, rng);
      bias_.set_zero();
      for (Index j = units_; j < 2 * units_; ++j) bias_[j] = T(1);
    } else {
      const double limit = 1.0 / std::sqrt(static_cast<double>(units_));
      for (Tensor<T>* weights : {&kernel_, &recurrent_kernel_}) {
        for (Index i = 0; i < weights->size(); ++i) (*weights)[i] = static_cast<T>(rng.uniform(-limit, limit));
      }
      for (Index i = 0; i < bias_.size(); ++i) {
        bias_[i] = static_cast<T>(rng.uniform(-limit, limit) + rng.uniform(-limit, limit));
      }
    }

    if (return_sequences_) return {time_, units_};
    return {units_};
  }

  // Forward: one matrix product for the input part of every step, then the recurrence step by step.
  const Tensor<T>& forward_impl(const Tensor<T>& input, bool /*training*/) override {
    const Index batch = input.dim(0);
    const Index gates = 4 * units_;
    allocate(batch);

    // x_time_major[t * batch + b, :] = x[b, t, :]
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < time_; ++t) {
        const T* source = input.data() + (b * time_ + t) * features_;
        std::copy(source, source + features_, x_time_major_.data() + (t * batch + b) * features_);
      }
    }

    assign_product(gates_.matrix(), x_time_major_.matrix(), kernel_.matrix());
    gates_.matrix().rowwise() += bias_.matrix(1, gates).row(0);

    // The recurrence of each chunk of samples is independent of the others, so chunks run in
    // parallel over the batch axis. Chunks have a fixed size, so every matrix product has the same
    // shape whatever the thread count, and the results do not depend on it.
    const Index chunks = chunk_count(batch);
#pragma omp parallel for schedule(static) if (chunks > 1)
    for (Index chunk = 0; chunk < chunks; ++chunk) {
      const Index first = chunk * kChunkRows;
      const Index rows = std::min(kChunkRows, batch - first);
      for (Index t = 0; t < time_; ++t) forward_step(t, batch, first, rows);
    }

    // Output in batch-major order.
    if (return_sequences_) {
      output_.resize({batch, time_, units_});
      for (Index b = 0; b < batch; ++b) {
        for (Index t = 0; t < time_; ++t) {
          const T* source = hidden_.data() + ((t + 1) * batch + b) * units_;
          std::copy(source, source + units_, output_.data() + (b * time_ + t) * units_);
        }
      }
    } else {
      output_.resize({batch, units_});
      const T* last = hidden_.data() + time_ * batch * units_;
      std::copy(last, last + batch * units_, output_.data());
    }
    return output_;
  }

  // Backward through time. With dh = dY_t + dh_{t+1 -> t} and dc carried from step t + 1:
  //   do = dh * tanh(c_t)                    dz_o = do * o (1 - o)
  //   dc = dh * o * (1 - tanh^2(c_t)) + dc   (dc from step t + 1 is dc_{t+1} * f_{t+1})
  //   di = dc * g   df = dc * c_{t-1}   dg = dc * i
  //   dz_i = di * i (1 - i)   dz_f = df * f (1 - f)   dz_c = dg * (1 - g^2)
  //   dh_{t-1} = dz_t recurrent_kernel^T     dc_{t-1} = dc * f
  // after the loop: dkernel += X^T dZ, drecurrent_kernel += H_{t-1}^T dZ, dbias += column sums of dZ,
  // dX = dZ kernel^T, each over all time steps at once.
  const Tensor<T>& backward_impl(const Tensor<T>& dY) override {
    const Index batch = dY.dim(0);
    const Index gates = 4 * units_;
    dgates_.resize({time_ * batch, gates});
    dx_time_major_.resize({time_ * batch, features_});
    dhidden_.resize({batch, units_});
    dcell_.resize({batch, units_});
    dhidden_.set_zero();
    dcell_.set_zero();

    // Parallel over the batch axis, in the same fixed chunks as the forward pass.
    const Index chunks = chunk_count(batch);
#pragma omp parallel for schedule(static) if (chunks > 1)
    for (Index chunk = 0; chunk < chunks; ++chunk) {
      const Index first = chunk * kChunkRows;
      const Index rows = std::min(kChunkRows, batch - first);
      for (Index t = time_ - 1; t >= 0; --t) backward_step(dY, t, batch, first, rows);
    }

    const Index rows = time_ * batch;
    const auto dz_all = dgates_.matrix();
    add_product(dkernel_.matrix(), x_time_major_.matrix().transpose(), dz_all);
    add_product(drecurrent_kernel_.matrix(), hidden_.matrix(rows + batch, units_).topRows(rows).transpose(), dz_all);
    dbias_.matrix(1, gates).row(0) += dz_all.colwise().sum();

    assign_product(dx_time_major_.matrix(), dz_all, kernel_.matrix().transpose());
    dinput_.resize({batch, time_, features_});
    for (Index b = 0; b < batch; ++b) {
      for (Index t = 0; t < time_; ++t) {
        const T* source = dx_time_major_.data() + (t * batch + b) * features_;
        std::copy(source, source + features_, dinput_.data() + (b * time_ + t) * features_);
      }
    }
    return dinput_;
  }

 private:
  // Samples per chunk of the parallel recurrence.
  static constexpr Index kChunkRows = 32;
  static Index chunk_count(Index batch) { return (batch + kChunkRows - 1) / kChunkRows; }

  // Rows [step * batch + first, step * batch + first + rows) of a time-major buffer: samples
  // first .. first + rows - 1 at time step `step`, as a (rows, columns) matrix.
  static MatrixMap<T> step_rows(Tensor<T>& buffer, Index step, Index batch, Index first, Index rows) {
    const Index columns = buffer.dim(1);
    return MatrixMap<T>(buffer.data() + (step * batch + first) * columns, rows, columns);
  }
  static ConstMatrixMap<T> const_step_rows(const Tensor<T>& buffer, Index step, Index batch, Index first,
                                           Index rows) {
    const Index columns = buffer.dim(1);
    return ConstMatrixMap<T>(buffer.data() + (step * batch + first) * columns, rows, columns);
  }

  // Runs one forward step for samples first .. first + rows - 1. gates_ already contains
  // x_t kernel + bias for that step.
  void forward_step(Index t, Index batch, Index first, Index rows) {
    MatrixMap<T> z = step_rows(gates_, t, batch, first, rows);
    ConstMatrixMap<T> h_previous = const_step_rows(hidden_, t, batch, first, rows);
    ConstMatrixMap<T> c_previous = const_step_rows(cells_, t, batch, first, rows);
    MatrixMap<T> c = step_rows(cells_, t + 1, batch, first, rows);
    MatrixMap<T> h = step_rows(hidden_, t + 1, batch, first, rows);
    MatrixMap<T> tanh_c = step_rows(tanh_cells_, t, batch, first, rows);

    z.noalias() += h_previous * recurrent_kernel_.matrix();
    z.leftCols(2 * units_).array() = stable_sigmoid(z.leftCols(2 * units_).array());
    z.middleCols(2 * units_, units_).array() = z.middleCols(2 * units_, units_).array().tanh();
    z.rightCols(units_).array() = stable_sigmoid(z.rightCols(units_).array());

    const auto input_gate = z.leftCols(units_).array();
    const auto forget_gate = z.middleCols(units_, units_).array();
    const auto cell_candidate = z.middleCols(2 * units_, units_).array();
    const auto output_gate = z.rightCols(units_).array();
    c.array() = forget_gate * c_previous.array() + input_gate * cell_candidate;
    tanh_c.array() = c.array().tanh();
    h.array() = output_gate * tanh_c.array();
  }

  // One backward step for samples first .. first + rows - 1: writes dz_t into dgates_ and carries
  // dh and dc to step t - 1 in dhidden_ and dcell_.
  void backward_step(const Tensor<T>& dY, Index t, Index batch, Index first, Index rows) {
    MatrixMap<T> dh(dhidden_.data() + first * units_, rows, units_);
    if (return_sequences_) {
      for (Index b = 0; b < rows; ++b) {
        const T* source = dY.data() + ((first + b) * time_ + t) * units_;
        for (Index u = 0; u < units_; ++u) dh(b, u) += source[u];
      }
    } else if (t == time_ - 1) {
      dh += ConstMatrixMap<T>(dY.data() + first * units_, rows, units_);
    }

    ConstMatrixMap<T> a = const_step_rows(gates_, t, batch, first, rows);
    ConstMatrixMap<T> c_previous = const_step_rows(cells_, t, batch, first, rows);
    ConstMatrixMap<T> tanh_c = const_step_rows(tanh_cells_, t, batch, first, rows);
    MatrixMap<T> dz = step_rows(dgates_, t, batch, first, rows);
    auto dc = MatrixMap<T>(dcell_.data() + first * units_, rows, units_).array();

    const auto input_gate = a.leftCols(units_).array();
    const auto forget_gate = a.middleCols(units_, units_).array();
    const auto cell_candidate = a.middleCols(2 * units_, units_).array();
    const auto output_gate = a.rightCols(units_).array();

    dc += dh.array() * output_gate * (T(1) - tanh_c.array().square());
    dz.rightCols(units_).array() = dh.array() * tanh_c.array() * output_gate * (T(1) - output_gate);
    dz.leftCols(units_).array() = dc * cell_candidate * input_gate * (T(1) - input_gate);
    dz.middleCols(units_, units_).array() = dc * c_previous.array() * forget_gate * (T(1) - forget_gate);
    dz.middleCols(2 * units_, units_).array() = dc * input_gate * (T(1) - cell_candidate.square());

    dc *= forget_gate;
    dh.noalias() = dz * recurrent_kernel_.matrix().transpose();
  }

  // Sizes the forward pass's per-batch buffers; they keep their memory while the batch size stays
  // the same. The backward pass sizes its own, so inference never allocates them.
  void allocate(Index batch) {
    const Index rows = time_ * batch;
    x_time_major_.resize({rows, features_});
    gates_.resize({rows, 4 * units_});
    hidden_.resize({rows + batch, units_});  // block 0 is h_{-1} = 0
    cells_.resize({rows + batch, units_});   // block 0 is c_{-1} = 0
    tanh_cells_.resize({rows, units_});
    step_rows(hidden_, 0, batch, 0, batch).setZero();
    step_rows(cells_, 0, batch, 0, batch).setZero();
  }

  Index units_;
  bool return_sequences_;
  LstmInitializer initializer_;
  Index time_ = 0, features_ = 0;
  Tensor<T> kernel_, dkernel_, recurrent_kernel_, drecurrent_kernel_, bias_, dbias_;
  Tensor<T> x_time_major_, gates_, dgates_, hidden_, cells_, tanh_cells_, dx_time_major_;
  Tensor<T> dhidden_, dcell_, output_, dinput_;
};

}  // namespace tsdl
