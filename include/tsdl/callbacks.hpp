// Umbrella header for the training callbacks: EarlyStopping, ReduceLROnPlateau, ModelCheckpoint,
// CSVLogger, ProgressBar and TensorBoard, with the Callback base classes. Register them in
// FitOptions::callbacks. ModelCheckpoint brings in tsdl/serialization.hpp for save_model().
#pragma once

#include "tsdl/callbacks/callback.hpp"
#include "tsdl/callbacks/csv_logger.hpp"
#include "tsdl/callbacks/early_stopping.hpp"
#include "tsdl/callbacks/model_checkpoint.hpp"
#include "tsdl/callbacks/progress_bar.hpp"
#include "tsdl/callbacks/reduce_lr_on_plateau.hpp"
#include "tsdl/callbacks/tensorboard.hpp"
#include "tsdl/sequential.hpp"
