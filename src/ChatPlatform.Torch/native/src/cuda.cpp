#include <torch/cuda.h>

#include "cs_cuda.h"
#include "shim.h"

#ifdef CS_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

CS_API int cs_cuda_is_available(int* out) { CS_TRY *out = torch::cuda::is_available() ? 1 : 0; CS_CATCH }
CS_API int cs_cuda_device_count(int* out) { CS_TRY *out = static_cast<int>(torch::cuda::device_count()); CS_CATCH }
CS_API int cs_cuda_synchronize(int device_index) {
  CS_TRY
  if (!torch::cuda::is_available()) return CS_OK;  // nothing is asynchronous on the CPU
  torch::cuda::synchronize(device_index);
  CS_CATCH
}

#ifdef CS_WITH_CUDA
namespace {
using c10::cuda::CUDACachingAllocator::StatType;
}
CS_API int cs_cuda_memory_stats(int device_index, int64_t* allocated, int64_t* reserved, int64_t* peak_allocated,
                                int64_t* peak_reserved) {
  CS_TRY
  auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device_index);
  const auto all = static_cast<size_t>(StatType::AGGREGATE);
  *allocated = stats.allocated_bytes[all].current;
  *reserved = stats.reserved_bytes[all].current;
  *peak_allocated = stats.allocated_bytes[all].peak;
  *peak_reserved = stats.reserved_bytes[all].peak;
  CS_CATCH
}
CS_API int cs_cuda_reset_peak_memory_stats(int device_index) {
  CS_TRY c10::cuda::CUDACachingAllocator::resetPeakStats(device_index);
  CS_CATCH
}
CS_API int cs_cuda_empty_cache(void) { CS_TRY c10::cuda::CUDACachingAllocator::emptyCache(); CS_CATCH }
#else
CS_API int cs_cuda_memory_stats(int, int64_t*, int64_t*, int64_t*, int64_t*) {
  return cs::fail(CS_ERR_INVALID_ARGUMENT, "this libtorch build has no CUDA support");
}
CS_API int cs_cuda_reset_peak_memory_stats(int) {
  return cs::fail(CS_ERR_INVALID_ARGUMENT, "this libtorch build has no CUDA support");
}
CS_API int cs_cuda_empty_cache(void) { return CS_OK; }  // no device cache to release
#endif
