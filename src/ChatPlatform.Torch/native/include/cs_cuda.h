// CUDA: availability and the caching allocator. Present in every build; CPU builds report no devices.
#pragma once
#include "cs_core.h"

CS_API int cs_cuda_is_available(int* out);
CS_API int cs_cuda_device_count(int* out);
CS_API int cs_cuda_synchronize(int device_index);
// Bytes allocated / reserved by the caching allocator, current and peak. CS_ERR_INVALID_ARGUMENT without CUDA.
CS_API int cs_cuda_memory_stats(int device_index, int64_t* allocated, int64_t* reserved, int64_t* peak_allocated,
                                int64_t* peak_reserved);
CS_API int cs_cuda_reset_peak_memory_stats(int device_index);
CS_API int cs_cuda_empty_cache(void);
