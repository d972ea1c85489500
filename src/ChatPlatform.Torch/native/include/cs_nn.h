// Neural-network functions (torch.nn.functional).
#pragma once
#include "cs_core.h"

CS_API int cs_linear(cs_tensor input, cs_tensor weight, cs_tensor bias /* nullable */, cs_tensor* out);
// RMSNorm over the last dimension: x / sqrt(mean(x^2) + eps) * weight (half inputs normalised in float32).
CS_API int cs_rms_norm(cs_tensor input, cs_tensor weight, double eps, cs_tensor* out);
// Rotary position embedding in the rotate-half layout: x * cos + cat(-x2, x1) * sin, halves of the last dimension.
CS_API int cs_rotary_apply(cs_tensor x, cs_tensor cos, cs_tensor sin, cs_tensor* out);
// Attention layout changes in one call each (decoding runs them per layer per token, so call count matters):
// (B, T, H*D) -> (B, H, T, D), and back.
CS_API int cs_split_heads(cs_tensor x, int64_t heads, cs_tensor* out);
CS_API int cs_merge_heads(cs_tensor x, cs_tensor* out);
CS_API int cs_embedding(cs_tensor weight, cs_tensor indices, cs_tensor* out);
CS_API int cs_softmax(cs_tensor a, int64_t dim, int dtype /* -1 = keep */, cs_tensor* out);
CS_API int cs_log_softmax(cs_tensor a, int64_t dim, int dtype /* -1 = keep */, cs_tensor* out);
CS_API int cs_gelu(cs_tensor a, int tanh_approximation, cs_tensor* out);
CS_API int cs_layer_norm(cs_tensor input, const int64_t* normalized_shape, int ndim, cs_tensor weight /* nullable */,
                         cs_tensor bias /* nullable */, double eps, cs_tensor* out);
// reduction: 0 none, 1 mean, 2 sum (at::Reduction). logits (N, C) or (N, C, d...); targets int64 class ids.
CS_API int cs_cross_entropy(cs_tensor logits, cs_tensor targets, int64_t reduction, int64_t ignore_index,
                            double label_smoothing, cs_tensor* out);
CS_API int cs_dropout(cs_tensor a, double p, int train, cs_tensor* out);
// q (..., L, E), k (..., S, E), v (..., S, Ev). attn_mask nullable: bool (true = attend) or float (added to scores).
// scale <= 0 means 1/sqrt(E). Uses libtorch's fused kernel where the version has it (>= 2.1), a composite otherwise.
CS_API int cs_scaled_dot_product_attention(cs_tensor q, cs_tensor k, cs_tensor v, cs_tensor attn_mask, double dropout_p,
                                           int is_causal, double scale, cs_tensor* out);
