// Autograd: gradients, grad mode and inference mode.
#pragma once
#include "cs_core.h"

typedef struct cs_inference_mode_s* cs_inference_mode;

CS_API int cs_tensor_requires_grad(cs_tensor t, int* out);
CS_API int cs_tensor_set_requires_grad(cs_tensor t, int requires_grad);
CS_API int cs_tensor_is_leaf(cs_tensor t, int* out);
// out is NULL (with CS_OK) when the tensor has no gradient.
CS_API int cs_tensor_grad(cs_tensor t, cs_tensor* out);
// grad NULL clears the gradient (the way zero_grad(set_to_none=True) does).
CS_API int cs_tensor_set_grad(cs_tensor t, cs_tensor grad);
CS_API int cs_tensor_backward(cs_tensor t, cs_tensor gradient /* nullable */, int retain_graph);

CS_API int cs_grad_enabled(int* out);
CS_API int cs_set_grad_enabled(int enabled);
// Enter/exit inference mode on the calling thread; exits must pair with enters in reverse order.
CS_API int cs_inference_mode_enter(cs_inference_mode* out);
CS_API int cs_inference_mode_exit(cs_inference_mode guard);
