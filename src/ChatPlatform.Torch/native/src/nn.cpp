#include <cmath>
#include <limits>
#include <torch/version.h>

#include "cpu_kernels.h"
#include "cs_nn.h"
#include "shim.h"

using cs::T;

namespace {
c10::optional<at::ScalarType> optional_dtype(int dtype) {
  if (dtype < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(dtype);
}

#if TORCH_VERSION_MAJOR < 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR < 1)
// softmax(q k^T * scale + mask) v, the definition in the PyTorch docs of scaled_dot_product_attention
// (used where libtorch has no fused kernel with a scale argument, i.e. before 2.1).
at::Tensor composite_sdpa(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          const c10::optional<at::Tensor>& mask, double dropout_p, bool is_causal, double scale) {
  const int64_t L = q.size(-2), S = k.size(-2);
  at::Tensor scores = at::matmul(q, k.transpose(-2, -1)).mul_(scale);  // (..., L, S)
  if (is_causal) {
    // Causal mask aligned to the top-left corner, as PyTorch's: query i sees keys 0..i.
    at::Tensor keep = at::ones({L, S}, q.options().dtype(at::kBool)).tril();
    scores.masked_fill_(keep.logical_not(), -std::numeric_limits<double>::infinity());
  }
  if (mask.has_value()) {
    if (mask->scalar_type() == at::kBool) {
      scores.masked_fill_(mask->logical_not(), -std::numeric_limits<double>::infinity());
    } else {
      scores.add_(*mask);
    }
  }
  at::Tensor weights = at::softmax(scores, -1);
  if (dropout_p > 0) weights = at::dropout(weights, dropout_p, true);
  return at::matmul(weights, v);
}
#endif
}  // namespace

// Weights below this many elements (1 MB of fp32) are not worth OpenBLAS's threaded matrix-vector kernel.
constexpr int64_t kMatrixVectorMinElements = 256 * 1024;

CS_API int cs_linear(cs_tensor input, cs_tensor weight, cs_tensor bias, cs_tensor* out) {
  CS_TRY
  const at::Tensor& x = T(input);
  const at::Tensor& w = T(weight);
  // Autograd and autocast need the dispatcher (autocast is on while its key is not excluded, in every libtorch version).
  const bool dispatched = x.requires_grad() || w.requires_grad() || (bias != nullptr && T(bias).requires_grad()) ||
                          !c10::impl::tls_is_dispatch_key_excluded(c10::DispatchKey::AutocastCPU);
  if (x.dim() >= 1 && w.dim() == 2 && x.size(-1) == w.size(1) && x.numel() > 0 && !dispatched && x.device().is_cpu() &&
      w.device().is_cpu() && x.scalar_type() == at::kFloat && w.scalar_type() == at::kFloat && w.is_contiguous() &&
      cs::prefers_small_linear(x.numel() / x.size(-1), w.size(1), w.size(0))) {
    // A small product outside autograd (decoding a small model: its projections, its head over a batch): the
    // single-threaded kernel, which never wakes BLAS's threads (see prefers_small_linear).
    const at::Tensor xc = x.contiguous();
    auto sizes = x.sizes().vec();
    sizes.back() = w.size(0);
    at::Tensor y = at::empty(sizes, x.options());
    cs::small_linear(xc.data_ptr<float>(), x.numel() / x.size(-1), w.size(1), w.data_ptr<float>(), w.size(0),
                     y.data_ptr<float>());
    if (bias != nullptr) y.add_(T(bias));
    *out = cs::wrap(y);
  } else if (x.dim() >= 1 && w.dim() == 2 && x.numel() == x.size(-1) && x.size(-1) == w.size(1) && x.device().is_cpu() &&
      w.numel() >= kMatrixVectorMinElements) {
    // One row (batch-1 decoding) against a large weight: a matrix-vector product. OpenBLAS's sgemm with M = 1 runs
    // ~3x slower than its sgemv for the same bytes (measured: 32000x768 weight, 21 ms vs 7 ms). Small weights stay
    // on the general path, where the threaded sgemv's start-up cost would dominate.
    at::Tensor y = at::mv(w, x.reshape({x.size(-1)}));
    if (bias != nullptr) y = y + T(bias);
    auto sizes = x.sizes().vec();
    sizes.back() = w.size(0);
    *out = cs::wrap(y.view(sizes));
  } else {
    *out = cs::wrap(at::linear(x, w, cs::optional_tensor(bias)));
  }
  CS_CATCH
}

CS_API int cs_rms_norm(cs_tensor input, cs_tensor weight, double eps, cs_tensor* out) {
  CS_TRY
  // transformers' LlamaRMSNorm: half-precision inputs are normalised in float32, then cast back before the scale.
  const at::Tensor& x = T(input);
  const bool half = x.scalar_type() == at::kHalf || x.scalar_type() == at::kBFloat16;
  at::Tensor h = half ? x.to(at::kFloat) : x;
  // In place where autograd allows it (mean and rsqrt keep what their backward needs): fewer allocations, which at
  // decode sizes cost as much as the arithmetic.
  at::Tensor scale = h.pow(2).mean(-1, true);
  scale.add_(eps).rsqrt_();
  at::Tensor normed = h * scale;
  *out = cs::wrap(T(weight) * (half ? normed.to(x.scalar_type()) : normed));
  CS_CATCH
}

CS_API int cs_rotary_apply(cs_tensor x, cs_tensor cos, cs_tensor sin, cs_tensor* out) {
  CS_TRY
  const at::Tensor& X = T(x);
  const int64_t half = X.size(-1) / 2;
  at::Tensor rotated = at::cat({X.narrow(-1, half, half).neg(), X.narrow(-1, 0, half)}, -1);
  at::Tensor result = X * T(cos);
  result.addcmul_(rotated, T(sin));  // autograd-safe: addcmul's backward needs rotated and sin, not result
  *out = cs::wrap(result);
  CS_CATCH
}
CS_API int cs_split_heads(cs_tensor x, int64_t heads, cs_tensor* out) {
  CS_TRY
  const at::Tensor& X = T(x);
  if (X.dim() != 3) throw std::invalid_argument("split_heads expects (B, T, H*D)");
  *out = cs::wrap(X.view({X.size(0), X.size(1), heads, -1}).transpose(1, 2));
  CS_CATCH
}
CS_API int cs_merge_heads(cs_tensor x, cs_tensor* out) {
  CS_TRY
  const at::Tensor& X = T(x);
  if (X.dim() != 4) throw std::invalid_argument("merge_heads expects (B, H, T, D)");
  *out = cs::wrap(X.transpose(1, 2).reshape({X.size(0), X.size(2), -1}));
  CS_CATCH
}

CS_API int cs_embedding(cs_tensor weight, cs_tensor indices, cs_tensor* out) {
  CS_RESULT(out, at::embedding(T(weight), T(indices)))
}
CS_API int cs_softmax(cs_tensor a, int64_t dim, int dtype, cs_tensor* out) {
  CS_RESULT(out, at::softmax(T(a), dim, optional_dtype(dtype)))
}
CS_API int cs_log_softmax(cs_tensor a, int64_t dim, int dtype, cs_tensor* out) {
  CS_RESULT(out, at::log_softmax(T(a), dim, optional_dtype(dtype)))
}
CS_API int cs_gelu(cs_tensor a, int tanh_approximation, cs_tensor* out) {
  CS_RESULT(out, at::gelu(T(a), tanh_approximation ? "tanh" : "none"))
}
CS_API int cs_layer_norm(cs_tensor input, const int64_t* normalized_shape, int ndim, cs_tensor weight, cs_tensor bias,
                         double eps, cs_tensor* out) {
  CS_RESULT(out, at::layer_norm(T(input), cs::dims(normalized_shape, ndim), cs::optional_tensor(weight),
                                cs::optional_tensor(bias), eps, true))
}
CS_API int cs_cross_entropy(cs_tensor logits, cs_tensor targets, int64_t reduction, int64_t ignore_index,
                            double label_smoothing, cs_tensor* out) {
  CS_TRY if (reduction < 0 || reduction > 2) throw std::invalid_argument("reduction must be 0 (none), 1 (mean) or 2 (sum)");
  *out = cs::wrap(at::cross_entropy_loss(T(logits), T(targets), c10::nullopt, reduction, ignore_index, label_smoothing));
  CS_CATCH
}
CS_API int cs_dropout(cs_tensor a, double p, int train, cs_tensor* out) { CS_RESULT(out, at::dropout(T(a), p, train != 0)) }

CS_API int cs_scaled_dot_product_attention(cs_tensor q, cs_tensor k, cs_tensor v, cs_tensor attn_mask, double dropout_p,
                                           int is_causal, double scale, cs_tensor* out) {
  CS_TRY
  const at::Tensor& Q = T(q);
  if (Q.dim() < 2) throw std::invalid_argument("scaled_dot_product_attention: q needs at least 2 dimensions (L, E)");
  const double s = scale > 0 ? scale : 1.0 / std::sqrt(static_cast<double>(Q.size(-1)));
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
  *out = cs::wrap(at::scaled_dot_product_attention(Q, T(k), T(v), cs::optional_tensor(attn_mask), dropout_p,
                                                   is_causal != 0, s));
#else
  *out = cs::wrap(composite_sdpa(Q, T(k), T(v), cs::optional_tensor(attn_mask), dropout_p, is_causal != 0, s));
#endif
  CS_CATCH
}
