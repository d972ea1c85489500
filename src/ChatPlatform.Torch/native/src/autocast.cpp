#include <ATen/autocast_mode.h>

#include "cs_autocast.h"
#include "shim.h"

namespace {

// libtorch 2.4 replaced the per-device functions with ones taking the device type; 1.13 (Debian) has only the old.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool enabled(c10::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
void set_enabled(c10::DeviceType d, bool on) { at::autocast::set_autocast_enabled(d, on); }
at::ScalarType dtype(c10::DeviceType d) { return at::autocast::get_autocast_dtype(d); }
void set_dtype(c10::DeviceType d, at::ScalarType t) { at::autocast::set_autocast_dtype(d, t); }
#else
bool enabled(c10::DeviceType d) { return d == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void set_enabled(c10::DeviceType d, bool on) {
  if (d == c10::DeviceType::CUDA) at::autocast::set_enabled(on); else at::autocast::set_cpu_enabled(on);
}
at::ScalarType dtype(c10::DeviceType d) {
  return d == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(c10::DeviceType d, at::ScalarType t) {
  if (d == c10::DeviceType::CUDA) at::autocast::set_autocast_gpu_dtype(t); else at::autocast::set_autocast_cpu_dtype(t);
}
#endif

c10::DeviceType device_of(int device_type) {
  if (device_type != 0 && device_type != 1) throw std::invalid_argument("autocast supports cpu (0) and cuda (1)");
  return static_cast<c10::DeviceType>(device_type);
}

}  // namespace

CS_API int cs_autocast_enter(int device_type, int dtype_code, int* previous_enabled, int* previous_dtype) {
  CS_TRY
  const auto d = device_of(device_type);
  const auto t = static_cast<at::ScalarType>(dtype_code);
  if (t != at::kBFloat16 && t != at::kHalf) throw std::invalid_argument("autocast dtype must be bfloat16 or float16");
  *previous_enabled = enabled(d) ? 1 : 0;
  *previous_dtype = static_cast<int>(dtype(d));
  set_enabled(d, true);
  set_dtype(d, t);
  at::autocast::increment_nesting();
  CS_CATCH
}

CS_API int cs_autocast_exit(int device_type, int previous_enabled, int previous_dtype) {
  CS_TRY
  const auto d = device_of(device_type);
  // As torch.autocast.__exit__: the outermost exit drops the cache of weights cast to the lower precision.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_enabled(d, previous_enabled != 0);
  set_dtype(d, static_cast<at::ScalarType>(previous_dtype));
  CS_CATCH
}

CS_API int cs_autocast_is_enabled(int device_type, int* result) {
  CS_TRY
  *result = enabled(device_of(device_type)) ? 1 : 0;
  CS_CATCH
}
