// Umbrella header for the neural-network part of tsdl: tensor, layers, loss, optimizers, Sequential.
#pragma once

#include "tsdl/activation.hpp"
#include "tsdl/layer.hpp"
#include "tsdl/layers/activation_layer.hpp"
#include "tsdl/layers/conv1d.hpp"
#include "tsdl/layers/dense.hpp"
#include "tsdl/layers/dropout.hpp"
#include "tsdl/layers/flatten.hpp"
#include "tsdl/layers/lstm.hpp"
#include "tsdl/layers/max_pool1d.hpp"
#include "tsdl/layers/time_distributed.hpp"
#include "tsdl/loss.hpp"
#include "tsdl/optimizers/adam.hpp"
#include "tsdl/optimizers/sgd.hpp"
#include "tsdl/sequential.hpp"
#include "tsdl/tensor.hpp"
