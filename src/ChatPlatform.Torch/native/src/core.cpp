#include <ATen/Parallel.h>
#include <torch/version.h>

#include "shim.h"

namespace cs {
std::atomic<int64_t> live_handles{0};
static thread_local std::string last_error;

int fail(int code, const char* message) {
  last_error = message != nullptr ? message : "";
  return code;
}
}  // namespace cs

CS_API const char* cs_last_error(void) { return cs::last_error.c_str(); }

CS_API int cs_version(int* major, int* minor, int* patch) {
  CS_TRY
  *major = TORCH_VERSION_MAJOR;
  *minor = TORCH_VERSION_MINOR;
  *patch = TORCH_VERSION_PATCH;
  CS_CATCH
}

CS_API int cs_get_num_threads(int* out) { CS_TRY *out = at::get_num_threads(); CS_CATCH }
CS_API int cs_set_num_threads(int n) {
  CS_TRY if (n < 1) throw std::invalid_argument("thread count must be >= 1");
  at::set_num_threads(n);
  CS_CATCH
}
CS_API int cs_get_num_interop_threads(int* out) { CS_TRY *out = at::get_num_interop_threads(); CS_CATCH }
CS_API int cs_live_tensor_handles(int64_t* out) { CS_TRY *out = cs::live_handles.load(); CS_CATCH }
