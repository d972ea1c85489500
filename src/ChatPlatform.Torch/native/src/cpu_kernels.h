// Single-threaded float32 CPU kernels shared by the fused decode and the binding's linear.
#pragma once
#include <cstdint>
#include <immintrin.h>

namespace cs {

// Whether this CPU has AVX2 and FMA (asked once); the hand-vectorised kernels are compiled for them and picked per call.
bool has_avx2_fma();

// x·y over n floats. Eight independent partial sums let the compiler keep them in one vector register without
// reassociating a single sum; inlined into callers compiled for several targets.
inline float dot(const float* __restrict x, const float* __restrict y, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) acc[j] += x[i + j] * y[i + j];
  float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

// The lane sums of four vectors, each in one fixed order whatever the other three are:
// ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)).
__attribute__((target("avx2,fma"))) inline __m128 sum4(__m256 a, __m256 b, __m256 c, __m256 d) {
  const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

// Whether y = x·Wᵀ with x (rows, in) and W (out, in) should go to small_linear rather than BLAS: the weight is small
// (it stays in cache, so one thread is not starved of bandwidth) and so is the whole product. OpenBLAS threads any
// sgemm above 2^18 multiply-adds, and after each threaded call its workers spin for a long while before sleeping; in
// a server decoding a small model that puts a spinning thread on the core the network needs, to save microseconds.
bool prefers_small_linear(int64_t rows, int64_t in, int64_t out);

// y (rows, out) = x (rows, in)·Wᵀ, W (out, in) row-major, on the calling thread. Each output is summed in the same order
// whatever the number of rows, so a row's result does not depend on the rows beside it (a batched request gets the
// numbers it would alone).
void small_linear(const float* x, int64_t rows, int64_t in, const float* w, int64_t out, float* y);

}  // namespace cs
