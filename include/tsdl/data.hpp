// Umbrella header for the tsdl data pipeline: CSV reading, timestamps, telemetry loading, the
// synthetic fleet, labels, window averages, sequences, scalers and splits.
#pragma once

#include "tsdl/data/csv.hpp"
#include "tsdl/data/error.hpp"
#include "tsdl/data/labels.hpp"
#include "tsdl/data/matrix.hpp"
#include "tsdl/data/scalers.hpp"
#include "tsdl/data/sequences.hpp"
#include "tsdl/data/splits.hpp"
#include "tsdl/data/synthetic.hpp"
#include "tsdl/data/telemetry.hpp"
#include "tsdl/data/timestamp.hpp"
#include "tsdl/data/windows.hpp"
