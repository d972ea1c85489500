#include "cs_ops.h"
#include "shim.h"

using cs::S;
using cs::T;

#define UNARY(name, expr) \
  CS_API int cs_##name(cs_tensor a, cs_tensor* out) { CS_RESULT(out, expr) }
#define BINARY(name, expr) \
  CS_API int cs_##name(cs_tensor a, cs_tensor b, cs_tensor* out) { CS_RESULT(out, expr) }
#define BINARY_SCALAR(name, expr) \
  CS_API int cs_##name(cs_tensor a, cs_scalar b, cs_tensor* out) { CS_RESULT(out, expr) }

UNARY(neg, at::neg(T(a)))
UNARY(abs, at::abs(T(a)))
UNARY(exp, at::exp(T(a)))
UNARY(log, at::log(T(a)))
UNARY(sqrt, at::sqrt(T(a)))
UNARY(rsqrt, at::rsqrt(T(a)))
UNARY(tanh, at::tanh(T(a)))
UNARY(erf, at::erf(T(a)))
UNARY(sigmoid, at::sigmoid(T(a)))
UNARY(relu, at::relu(T(a)))
UNARY(silu, at::silu(T(a)))
UNARY(sin, at::sin(T(a)))
UNARY(cos, at::cos(T(a)))
UNARY(reciprocal, at::reciprocal(T(a)))
UNARY(square, at::square(T(a)))
UNARY(logical_not, at::logical_not(T(a)))
UNARY(isfinite, at::isfinite(T(a)))
UNARY(isnan, at::isnan(T(a)))

CS_API int cs_add(cs_tensor a, cs_tensor b, cs_scalar alpha, cs_tensor* out) { CS_RESULT(out, at::add(T(a), T(b), S(alpha))) }
CS_API int cs_sub(cs_tensor a, cs_tensor b, cs_scalar alpha, cs_tensor* out) { CS_RESULT(out, at::sub(T(a), T(b), S(alpha))) }
BINARY(mul, at::mul(T(a), T(b)))
BINARY(div, at::div(T(a), T(b)))
BINARY(pow, at::pow(T(a), T(b)))
BINARY(maximum, at::maximum(T(a), T(b)))
BINARY(minimum, at::minimum(T(a), T(b)))
BINARY(eq, at::eq(T(a), T(b)))
BINARY(ne, at::ne(T(a), T(b)))
BINARY(lt, at::lt(T(a), T(b)))
BINARY(le, at::le(T(a), T(b)))
BINARY(gt, at::gt(T(a), T(b)))
BINARY(ge, at::ge(T(a), T(b)))
BINARY(logical_and, at::logical_and(T(a), T(b)))
BINARY(logical_or, at::logical_or(T(a), T(b)))

BINARY_SCALAR(add_scalar, at::add(T(a), S(b)))
BINARY_SCALAR(sub_scalar, at::sub(T(a), S(b)))
BINARY_SCALAR(rsub_scalar, at::rsub(T(a), S(b)))
BINARY_SCALAR(mul_scalar, at::mul(T(a), S(b)))
BINARY_SCALAR(div_scalar, at::div(T(a), S(b)))
BINARY_SCALAR(rdiv_scalar, at::mul(at::reciprocal(T(a)), S(b)))
BINARY_SCALAR(pow_scalar, at::pow(T(a), S(b)))
BINARY_SCALAR(eq_scalar, at::eq(T(a), S(b)))
BINARY_SCALAR(ne_scalar, at::ne(T(a), S(b)))
BINARY_SCALAR(lt_scalar, at::lt(T(a), S(b)))
BINARY_SCALAR(le_scalar, at::le(T(a), S(b)))
BINARY_SCALAR(gt_scalar, at::gt(T(a), S(b)))
BINARY_SCALAR(ge_scalar, at::ge(T(a), S(b)))

CS_API int cs_clamp(cs_tensor a, int has_min, cs_scalar min, int has_max, cs_scalar max, cs_tensor* out) {
  CS_RESULT(out, at::clamp(T(a), has_min ? c10::optional<at::Scalar>(S(min)) : c10::nullopt,
                           has_max ? c10::optional<at::Scalar>(S(max)) : c10::nullopt))
}

// ---- in-place ----
#define INPLACE(name, args, stmt) \
  CS_API int cs_##name args { CS_TRY stmt; CS_CATCH }

INPLACE(copy_, (cs_tensor self, cs_tensor src), T(self).copy_(T(src)))
INPLACE(add_, (cs_tensor self, cs_tensor other, cs_scalar alpha), T(self).add_(T(other), S(alpha)))
INPLACE(add_scalar_, (cs_tensor self, cs_scalar other), T(self).add_(S(other)))
INPLACE(mul_, (cs_tensor self, cs_tensor other), T(self).mul_(T(other)))
INPLACE(mul_scalar_, (cs_tensor self, cs_scalar other), T(self).mul_(S(other)))
INPLACE(div_, (cs_tensor self, cs_tensor other), T(self).div_(T(other)))
INPLACE(addcmul_, (cs_tensor self, cs_tensor t1, cs_tensor t2, cs_scalar value), T(self).addcmul_(T(t1), T(t2), S(value)))
INPLACE(addcdiv_, (cs_tensor self, cs_tensor t1, cs_tensor t2, cs_scalar value), T(self).addcdiv_(T(t1), T(t2), S(value)))
INPLACE(lerp_, (cs_tensor self, cs_tensor end, cs_scalar weight), T(self).lerp_(T(end), S(weight)))
INPLACE(zero_, (cs_tensor self), T(self).zero_())
INPLACE(fill_, (cs_tensor self, cs_scalar value), T(self).fill_(S(value)))
INPLACE(masked_fill_, (cs_tensor self, cs_tensor mask, cs_scalar value), T(self).masked_fill_(T(mask), S(value)))
INPLACE(narrow_copy_, (cs_tensor self, int64_t dim, int64_t start, cs_tensor src),
        T(self).narrow(dim, start, T(src).size(dim)).copy_(T(src)))

// ---- linear algebra ----
BINARY(matmul, at::matmul(T(a), T(b)))
BINARY(bmm, at::bmm(T(a), T(b)))
BINARY(mm, at::mm(T(a), T(b)))

// ---- shape and layout ----
CS_API int cs_reshape(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out) {
  CS_RESULT(out, at::reshape(T(a), cs::dims(shape, ndim)))
}
CS_API int cs_view(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out) {
  CS_RESULT(out, T(a).view(cs::dims(shape, ndim)))
}
CS_API int cs_permute(cs_tensor a, const int64_t* d, int ndim, cs_tensor* out) {
  CS_RESULT(out, T(a).permute(cs::dims(d, ndim)))
}
CS_API int cs_transpose(cs_tensor a, int64_t dim0, int64_t dim1, cs_tensor* out) {
  CS_RESULT(out, at::transpose(T(a), dim0, dim1))
}
CS_API int cs_unsqueeze(cs_tensor a, int64_t dim, cs_tensor* out) { CS_RESULT(out, at::unsqueeze(T(a), dim)) }
CS_API int cs_squeeze(cs_tensor a, int64_t dim, cs_tensor* out) { CS_RESULT(out, at::squeeze(T(a), dim)) }
CS_API int cs_flatten(cs_tensor a, int64_t start_dim, int64_t end_dim, cs_tensor* out) {
  CS_RESULT(out, at::flatten(T(a), start_dim, end_dim))
}
CS_API int cs_expand(cs_tensor a, const int64_t* shape, int ndim, cs_tensor* out) {
  CS_RESULT(out, T(a).expand(cs::dims(shape, ndim)))
}
CS_API int cs_repeat(cs_tensor a, const int64_t* repeats, int ndim, cs_tensor* out) {
  CS_RESULT(out, T(a).repeat(cs::dims(repeats, ndim)))
}
CS_API int cs_repeat_interleave(cs_tensor a, int64_t repeats, int64_t dim, cs_tensor* out) {
  CS_RESULT(out, at::repeat_interleave(T(a), repeats, dim))
}
CS_API int cs_cat(const cs_tensor* tensors, int count, int64_t dim, cs_tensor* out) {
  CS_RESULT(out, at::cat(cs::tensor_list(tensors, count), dim))
}
CS_API int cs_stack(const cs_tensor* tensors, int count, int64_t dim, cs_tensor* out) {
  CS_RESULT(out, at::stack(cs::tensor_list(tensors, count), dim))
}
CS_API int cs_triu(cs_tensor a, int64_t diagonal, cs_tensor* out) { CS_RESULT(out, at::triu(T(a), diagonal)) }
CS_API int cs_tril(cs_tensor a, int64_t diagonal, cs_tensor* out) { CS_RESULT(out, at::tril(T(a), diagonal)) }

// ---- indexing ----
CS_API int cs_narrow(cs_tensor a, int64_t dim, int64_t start, int64_t length, cs_tensor* out) {
  CS_RESULT(out, T(a).narrow(dim, start, length))
}
CS_API int cs_slice(cs_tensor a, int64_t dim, int has_start, int64_t start, int has_end, int64_t end, int64_t step,
                    cs_tensor* out) {
  CS_RESULT(out, T(a).slice(dim, has_start ? c10::optional<int64_t>(start) : c10::nullopt,
                            has_end ? c10::optional<int64_t>(end) : c10::nullopt, step))
}
CS_API int cs_select(cs_tensor a, int64_t dim, int64_t index, cs_tensor* out) { CS_RESULT(out, T(a).select(dim, index)) }
CS_API int cs_index_select(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor* out) {
  CS_RESULT(out, at::index_select(T(a), dim, T(index)))
}
CS_API int cs_gather(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor* out) {
  CS_RESULT(out, at::gather(T(a), dim, T(index)))
}
CS_API int cs_scatter(cs_tensor a, int64_t dim, cs_tensor index, cs_tensor src, cs_tensor* out) {
  CS_RESULT(out, at::scatter(T(a), dim, T(index), T(src)))
}
CS_API int cs_masked_fill(cs_tensor a, cs_tensor mask, cs_scalar value, cs_tensor* out) {
  CS_RESULT(out, at::masked_fill(T(a), T(mask), S(value)))
}
CS_API int cs_where(cs_tensor condition, cs_tensor a, cs_tensor b, cs_tensor* out) {
  CS_RESULT(out, at::where(T(condition), T(a), T(b)))
}

// ---- reductions and scans ----
CS_API int cs_sum(cs_tensor a, const int64_t* d, int ndim, int keepdim, int dtype, cs_tensor* out) {
  c10::optional<at::ScalarType> type =
      dtype < 0 ? c10::nullopt : c10::optional<at::ScalarType>(static_cast<at::ScalarType>(dtype));
  CS_RESULT(out, ndim == 0 ? at::sum(T(a), type) : at::sum(T(a), cs::dims(d, ndim), keepdim != 0, type))
}
CS_API int cs_mean(cs_tensor a, const int64_t* d, int ndim, int keepdim, cs_tensor* out) {
  CS_RESULT(out, ndim == 0 ? at::mean(T(a)) : at::mean(T(a), cs::dims(d, ndim), keepdim != 0))
}
CS_API int cs_max_all(cs_tensor a, cs_tensor* out) { CS_RESULT(out, at::max(T(a))) }
CS_API int cs_min_all(cs_tensor a, cs_tensor* out) { CS_RESULT(out, at::min(T(a))) }
CS_API int cs_max_dim(cs_tensor a, int64_t dim, int keepdim, cs_tensor* values, cs_tensor* indices) {
  CS_TRY auto r = at::max(T(a), dim, keepdim != 0);
  *values = cs::wrap(std::get<0>(r));
  *indices = cs::wrap(std::get<1>(r));
  CS_CATCH
}
CS_API int cs_min_dim(cs_tensor a, int64_t dim, int keepdim, cs_tensor* values, cs_tensor* indices) {
  CS_TRY auto r = at::min(T(a), dim, keepdim != 0);
  *values = cs::wrap(std::get<0>(r));
  *indices = cs::wrap(std::get<1>(r));
  CS_CATCH
}
CS_API int cs_argmax(cs_tensor a, int has_dim, int64_t dim, int keepdim, cs_tensor* out) {
  CS_RESULT(out, at::argmax(T(a), has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0))
}
CS_API int cs_topk(cs_tensor a, int64_t k, int64_t dim, int largest, int sorted, cs_tensor* values, cs_tensor* indices) {
  CS_TRY auto r = at::topk(T(a), k, dim, largest != 0, sorted != 0);
  *values = cs::wrap(std::get<0>(r));
  *indices = cs::wrap(std::get<1>(r));
  CS_CATCH
}
CS_API int cs_sort(cs_tensor a, int64_t dim, int descending, cs_tensor* values, cs_tensor* indices) {
  CS_TRY auto r = at::sort(T(a), dim, descending != 0);
  *values = cs::wrap(std::get<0>(r));
  *indices = cs::wrap(std::get<1>(r));
  CS_CATCH
}
CS_API int cs_cumsum(cs_tensor a, int64_t dim, cs_tensor* out) { CS_RESULT(out, at::cumsum(T(a), dim)) }
CS_API int cs_logsumexp(cs_tensor a, const int64_t* d, int ndim, int keepdim, cs_tensor* out) {
  CS_RESULT(out, at::logsumexp(T(a), cs::dims(d, ndim), keepdim != 0))
}
CS_API int cs_norm(cs_tensor a, cs_scalar p, cs_tensor* out) { CS_RESULT(out, at::norm(T(a), S(p))) }
CS_API int cs_all(cs_tensor a, cs_tensor* out) { CS_RESULT(out, at::all(T(a))) }
CS_API int cs_any(cs_tensor a, cs_tensor* out) { CS_RESULT(out, at::any(T(a))) }
