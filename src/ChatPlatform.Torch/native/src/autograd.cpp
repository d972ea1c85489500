#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include "cs_autograd.h"
#include "shim.h"

using cs::T;

CS_API int cs_tensor_requires_grad(cs_tensor t, int* out) { CS_TRY *out = T(t).requires_grad() ? 1 : 0; CS_CATCH }
CS_API int cs_tensor_set_requires_grad(cs_tensor t, int requires_grad) {
  CS_TRY T(t).set_requires_grad(requires_grad != 0);
  CS_CATCH
}
CS_API int cs_tensor_is_leaf(cs_tensor t, int* out) { CS_TRY *out = T(t).is_leaf() ? 1 : 0; CS_CATCH }
CS_API int cs_tensor_grad(cs_tensor t, cs_tensor* out) { CS_RESULT(out, T(t).grad()) }
CS_API int cs_tensor_set_grad(cs_tensor t, cs_tensor grad) {
  CS_TRY T(t).mutable_grad() = grad == nullptr ? at::Tensor() : T(grad);
  CS_CATCH
}
CS_API int cs_tensor_backward(cs_tensor t, cs_tensor gradient, int retain_graph) {
  CS_TRY
  at::Tensor g = gradient == nullptr ? at::Tensor() : T(gradient);
  T(t).backward(g, retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, false);
  CS_CATCH
}

CS_API int cs_grad_enabled(int* out) { CS_TRY *out = c10::GradMode::is_enabled() ? 1 : 0; CS_CATCH }
CS_API int cs_set_grad_enabled(int enabled) { CS_TRY c10::GradMode::set_enabled(enabled != 0); CS_CATCH }

CS_API int cs_inference_mode_enter(cs_inference_mode* out) {
  CS_TRY *out = reinterpret_cast<cs_inference_mode>(new c10::InferenceMode(true));
  CS_CATCH
}
CS_API int cs_inference_mode_exit(cs_inference_mode guard) {
  CS_TRY delete reinterpret_cast<c10::InferenceMode*>(guard);
  CS_CATCH
}
