#include "cpu_kernels.h"

#include <immintrin.h>

namespace cs {

bool has_avx2_fma() {
  // __builtin_cpu_init first: this may run before the CPU-model constructor has.
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return supported;
}

namespace {

// 1 MB of float32 weights, and 8M multiply-adds (a few hundred microseconds on one core): above either, BLAS's
// threads pay for their start-up.
constexpr int64_t kSmallWeightElements = 1 << 18;
constexpr int64_t kSmallProductMacs = 1 << 23;

// A load mask with lanes [0, n) set, n in 0..7: the tail of a row whose length is not a multiple of 8.
__attribute__((target("avx2,fma"))) inline __m256i first_lanes(int64_t n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// R rows × O outputs of x·Wᵀ: per step of 8 inputs, O weight vectors stay in registers and each row's vector meets
// them in O FMAs (R·O accumulators; 4 × 3 fills the 16 registers). Horizontal sums only at the end, four at a time.
template <int R, int O>
__attribute__((target("avx2,fma"), always_inline)) inline void tile(const float* x, int64_t in, const float* w,
                                                                    float* y, int64_t out, __m256i tail) {
  __m256 acc[R][O];
  for (int r = 0; r < R; ++r)
    for (int o = 0; o < O; ++o) acc[r][o] = _mm256_setzero_ps();
  int64_t k = 0;
  for (; k + 8 <= in; k += 8) {
    __m256 wv[O];
    for (int o = 0; o < O; ++o) wv[o] = _mm256_loadu_ps(w + o * in + k);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_loadu_ps(x + r * in + k);
      for (int o = 0; o < O; ++o) acc[r][o] = _mm256_fmadd_ps(xv, wv[o], acc[r][o]);
    }
  }
  if (k < in) {
    __m256 wv[O];
    for (int o = 0; o < O; ++o) wv[o] = _mm256_maskload_ps(w + o * in + k, tail);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_maskload_ps(x + r * in + k, tail);
      for (int o = 0; o < O; ++o) acc[r][o] = _mm256_fmadd_ps(xv, wv[o], acc[r][o]);
    }
  }
  const __m256 zero = _mm256_setzero_ps();
  for (int r = 0; r < R; ++r) {
    alignas(16) float sums[4];
    _mm_store_ps(sums, sum4(acc[r][0], O > 1 ? acc[r][1 % O] : zero, O > 2 ? acc[r][2 % O] : zero, zero));
    for (int o = 0; o < O; ++o) y[r * out + o] = sums[o];
  }
}

template <int R>
__attribute__((target("avx2,fma"))) void rows_avx2(const float* x, int64_t in, const float* w, int64_t out, float* y,
                                                   __m256i tail) {
  int64_t o = 0;
  for (; o + 3 <= out; o += 3) tile<R, 3>(x, in, w + o * in, y + o, out, tail);
  if (out - o == 2) tile<R, 2>(x, in, w + o * in, y + o, out, tail);
  if (out - o == 1) tile<R, 1>(x, in, w + o * in, y + o, out, tail);
}

__attribute__((target("avx2,fma"))) void small_linear_avx2(const float* x, int64_t rows, int64_t in, const float* w,
                                                           int64_t out, float* y) {
  const __m256i tail = first_lanes(in % 8);
  int64_t r = 0;
  for (; r + 4 <= rows; r += 4) rows_avx2<4>(x + r * in, in, w, out, y + r * out, tail);
  switch (rows - r) {
    case 3: rows_avx2<3>(x + r * in, in, w, out, y + r * out, tail); break;
    case 2: rows_avx2<2>(x + r * in, in, w, out, y + r * out, tail); break;
    case 1: rows_avx2<1>(x + r * in, in, w, out, y + r * out, tail); break;
    default: break;
  }
}

}  // namespace

bool prefers_small_linear(int64_t rows, int64_t in, int64_t out) {
  return in * out < kSmallWeightElements && rows * in * out <= kSmallProductMacs;
}

void small_linear(const float* x, int64_t rows, int64_t in, const float* w, int64_t out, float* y) {
  if (has_avx2_fma()) {
    small_linear_avx2(x, rows, in, w, out, y);
    return;
  }
  for (int64_t b = 0; b < rows; ++b)
    for (int64_t o = 0; o < out; ++o) y[b * out + o] = dot(x + b * in, w + o * in, in);
}

}  // namespace cs
