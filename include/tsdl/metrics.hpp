// All of tsdl::metrics: classification metrics at a threshold, F1 threshold selection, ROC-AUC and
// average precision, event-level failure metrics and the text reports.
#pragma once

#include "tsdl/metrics/classification.hpp"
#include "tsdl/metrics/events.hpp"
#include "tsdl/metrics/operating_points.hpp"
#include "tsdl/metrics/ranking.hpp"
#include "tsdl/metrics/report.hpp"
#include "tsdl/metrics/threshold.hpp"
#include "tsdl/metrics/validation.hpp"
