// Builders of the three failure classifiers: 1-D CNN, stacked LSTM and hybrid CNN-LSTM.
#pragma once

#include "tsdl/models/cnn.hpp"
#include "tsdl/models/hybrid.hpp"
#include "tsdl/models/stacked_lstm.hpp"
