// Tensor math: element-wise (with broadcasting), linear algebra, shape, indexing, reductions.
#pragma once
#include "cs_core.h"

// ---- unary element-wise ----
CS_API int cs_neg(cs_tensor a, cs_tensor* out);
CS_API int cs_abs(cs_tensor a, cs_tensor* out);
CS_API int cs_exp(cs_tensor a, cs_tensor* out);
CS_API int cs_log(cs_tensor a, cs_tensor* out);
CS_API int cs_sqrt(cs_tensor a, cs_tensor* out);
CS_API int cs_rsqrt(cs_tensor a, cs_tensor* out);
CS_API int cs_tanh(cs_tensor a, cs_tensor* out);
CS_API int cs_erf(cs_tensor a, cs_tensor* out);
CS_API int cs_sigmoid(cs_tensor a, cs_tensor* out);
CS_API int cs_relu(cs_tensor a, cs_tensor* out);
CS_API int cs_silu(cs_tensor a, cs_tensor* out);
CS_API int cs_sin(cs_tensor a, cs_tensor* out);
CS_API int cs_cos(cs_tensor a, cs_tensor* out);
CS_API int cs_reciprocal(cs_tensor a, cs_tensor* out);
CS_API int cs_square(cs_tensor a, cs_tensor* out);
CS_API int cs_logical_not(cs_tensor a, cs_tensor* out);
CS_API int cs_isfinite(cs_tensor a, cs_tensor* out);
CS_API int cs_isnan(cs_tensor a, cs_tensor* out);

// ---- binary element-wise (tensor, tensor) ----
CS_API int cs_add(cs_tensor a, cs_tensor b, cs_scalar alpha, cs_tensor* out);  // a + alpha * b
CS_API int cs_sub(cs_tensor a, cs_tensor b, cs_scalar alpha, cs_tensor* out);  // a - alpha * b
CS_API int cs_mul(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_div(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_pow(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_maximum(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_minimum(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_eq(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_ne(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_lt(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_le(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_gt(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_ge(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_logical_and(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_logical_or(cs_tensor a, cs_tensor b, cs_tensor* out);

// ---- binary element-wise (tensor, scalar) ----
CS_API int cs_add_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_sub_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_rsub_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);  // b - a
CS_API int cs_mul_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_div_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_rdiv_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);  // b / a
CS_API int cs_pow_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_eq_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_ne_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_lt_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_le_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_gt_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
CS_API int cs_ge_scalar(cs_tensor a, cs_scalar b, cs_tensor* out);
// has_min / has_max select which bounds apply.
CS_API int cs_clamp(cs_tensor a, int has_min, cs_scalar min, int has_max, cs_scalar max, cs_tensor* out);

// ---- in-place (optimizer state, KV cache, initialisation) ----
CS_API int cs_copy_(cs_tensor self, cs_tensor src);
CS_API int cs_add_(cs_tensor self, cs_tensor other, cs_scalar alpha);
CS_API int cs_add_scalar_(cs_tensor self, cs_scalar other);
CS_API int cs_mul_(cs_tensor self, cs_tensor other);
CS_API int cs_mul_scalar_(cs_tensor self, cs_scalar other);
CS_API int cs_div_(cs_tensor self, cs_tensor other);
CS_API int cs_addcmul_(cs_tensor self, cs_tensor t1, cs_tensor t2, cs_scalar value);
CS_API int cs_addcdiv_(cs_tensor self, cs_tensor t1, cs_tensor t2, cs_scalar value);
CS_API int cs_lerp_(cs_tensor self, cs_tensor end, cs_scalar weight);
CS_API int cs_zero_(cs_tensor self);
CS_API int cs_fill_(cs_tensor self, cs_scalar value);
CS_API int cs_masked_fill_(cs_tensor self, cs_tensor mask, cs_scalar value);
// self.narrow(dim, start, src.size(dim)).copy_(src) in one call (KV-cache writes).
CS_API int cs_narrow_copy_(cs_tensor self, int64_t dim, int64_t start, cs_tensor src);

// ---- linear algebra ----
CS_API int cs_matmul(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_bmm(cs_tensor a, cs_tensor b, cs_tensor* out);
CS_API int cs_mm(cs_tensor a, cs_tensor b, cs_tensor* out);

// ---- shape and layout ----
CS_API int cs_reshape(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out);
CS_API int cs_view(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out);
CS_API int cs_permute(cs_tensor a, const int64_t* dims, int ndim, cs_tensor* out);
CS_API int cs_transpose(cs_tensor a, int64_t dim0, int64_t dim1, cs_tensor* out);
CS_API int cs_unsqueeze(cs_tensor a, int64_t dim, cs_tensor* out);
CS_API int cs_squeeze(cs_tensor a, int64_t dim, cs_tensor* out);
CS_API int cs_flatten(cs_tensor a, int64_t start_dim, int64_t end_dim, cs_tensor* out);
CS_API int cs_expand(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out);
CS_API int cs_repeat(cs_tensor a, const int64_t* repeats, int ndim, cs_tensor* out);
CS_API int cs_repeat_interleave(cs_tensor a, int64_t repeats, int64_t dim, cs_tensor* out);
CS_API int cs_cat(const cs_tensor* tensors, int count, int64_t dim, cs_tensor* out);
CS_API int cs_stack(const cs_tensor* tensors, int count, int64_t dim, cs_tensor* out);
CS_API int cs_triu(cs_tensor a, int64_t diagonal, cs_tensor* out);
CS_API int cs_tril(cs_tensor a, int64_t diagonal, cs_tensor* out);

// ---- indexing ----
CS_API int cs_narrow(cs_tensor a, int64_t dim, int64_t start, int64_t length, cs_tensor* out);
// has_start / has_end = 0 mean "from the beginning" / "to the end"; negative indices count from the end.
CS_API int cs_slice(cs_tensor a, int64_t dim, int has_start, int64_t start, int has_end, int64_t end, int64_t step,
                    cs_tensor* out);
CS_API int cs_select(cs_tensor a, int64_t dim, int64_t index, cs_tensor* out);
CS_API int cs_index_select(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor* out);
CS_API int cs_gather(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor* out);
CS_API int cs_scatter(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor src, cs_tensor* out);
CS_API int cs_masked_fill(cs_tensor a, cs_tensor mask, cs_scalar value, cs_tensor* out);
CS_API int cs_where(cs_tensor condition, cs_tensor a, cs_tensor b, cs_tensor* out);

// ---- reductions and scans (dims NULL / ndim 0 = over all elements) ----
CS_API int cs_sum(cs_tensor a, const int64_t* dims, int ndim, int keepdim, int dtype, cs_tensor* out);  // dtype -1 = default
CS_API int cs_mean(cs_tensor a, const int64_t* dims, int ndim, int keepdim, cs_tensor* out);
CS_API int cs_max_all(cs_tensor a, cs_tensor* out);
CS_API int cs_min_all(cs_tensor a, cs_tensor* out);
CS_API int cs_max_dim(cs_tensor a, int64_t dim, int keepdim, cs_tensor* values, cs_tensor* indices);
CS_API int cs_min_dim(cs_tensor a, int64_t dim, int keepdim, cs_tensor* values, cs_tensor* indices);
CS_API int cs_argmax(cs_tensor a, int has_dim, int64_t dim, int keepdim, cs_tensor* out);
CS_API int cs_topk(cs_tensor a, int64_t k, int64_t dim, int largest, int sorted, cs_tensor* values, cs_tensor* indices);
CS_API int cs_sort(cs_tensor a, int64_t dim, int descending, cs_tensor* values, cs_tensor* indices);
CS_API int cs_cumsum(cs_tensor a, int64_t dim, cs_tensor* out);
CS_API int cs_logsumexp(cs_tensor a, const int64_t* dims, int ndim, int keepdim, cs_tensor* out);
CS_API int cs_norm(cs_tensor a, cs_scalar p, cs_tensor* out);
CS_API int cs_all(cs_tensor a, cs_tensor* out);
CS_API int cs_any(cs_tensor a, cs_tensor* out);
