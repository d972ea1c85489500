// Automatic mixed precision (autocast): inside a region, eligible ops (matmul, linear, attention) run in a lower
// precision while weights stay in float32 and precision-sensitive ops (softmax, losses, norms) stay in float32.
// The state is per thread, as in PyTorch.
#pragma once
#include "cs_core.h"

// Turns autocast on for a device type (0 CPU, 1 CUDA) with dtype (bfloat16 or float16); writes the previous
// state for cs_autocast_exit.
CS_API int cs_autocast_enter(int device_type, int dtype, int* previous_enabled, int* previous_dtype);
// Restores the state saved by cs_autocast_enter; leaving the outermost region frees the cached casts of weights.
CS_API int cs_autocast_exit(int device_type, int previous_enabled, int previous_dtype);
CS_API int cs_autocast_is_enabled(int device_type, int* enabled);
