// Fused float32 CPU decode of one Llama decoder layer (see cs_decode.h for the contract).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>
#include <vector>

#include "cpu_kernels.h"
#include "cs_decode.h"
#include "shim.h"

namespace {

using cs::dot;
using cs::has_avx2_fma;
using cs::sum4;
using clock_type = std::chrono::steady_clock;

// e^x in float, from Cephes' expf: 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 (ln 2 in two parts), and a
// degree-6 polynomial for e^r (relative error ~2e-7, like expf's). std::exp was most of the attention's time at small
// head sizes; exp8 below is the same steps eight lanes at a time (GCC does not vectorise this loop body by itself).
inline float exp_poly(float x) {
  x = std::min(std::max(x, -87.0f), 88.0f);
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// exp_poly on eight lanes.
__attribute__((target("avx2,fma"))) inline __m256 exp8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.0f));
  const __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fmadd_ps(n, _mm256_set1_ps(2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
  const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

// SiLU(gate)·up in place over n floats (SwiGLU).
__attribute__((target("avx2,fma"))) void swiglu_avx2(float* gate, const float* up, int64_t n) {
  const __m256 one = _mm256_set1_ps(1.0f);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 g = _mm256_loadu_ps(gate + i);
    const __m256 silu = _mm256_div_ps(g, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), g))));
    _mm256_storeu_ps(gate + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
  }
  for (; i < n; ++i) gate[i] = gate[i] / (1.0f + exp_poly(-gate[i])) * up[i];
}

void swiglu(float* gate, const float* up, int64_t n) {
  if (has_avx2_fma()) {
    swiglu_avx2(gate, up, n);
    return;
  }
  for (int64_t i = 0; i < n; ++i) gate[i] = gate[i] / (1.0f + exp_poly(-gate[i])) * up[i];
}

// e^(score − top) in place over n scores, eight at a time; returns their sum (softmax's denominator).
__attribute__((target("avx2,fma"))) float softmax_weights(float* scores, int64_t n, float top) {
  const __m256 tops = _mm256_set1_ps(top);
  __m256 totals = _mm256_setzero_ps();
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(scores + j), tops));
    totals = _mm256_add_ps(totals, e);
    _mm256_storeu_ps(scores + j, e);
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, totals);
  float total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; j < n; ++j) {
    scores[j] = exp_poly(scores[j] - top);
    total += scores[j];
  }
  return total;
}

// Head size 8 (stories- and test-sized models) with AVX2: a per-key dot product of 8 floats would be mostly its
// horizontal sum, so 8 keys are scored at once (8 products reduced together by hadd and a lane swap), the softmax runs
// eight lanes at a time, and the weighted values are summed in four registers instead of through memory. Same keys
// in the same order whatever else is in the batch, so a row's result does not depend on its neighbours.
__attribute__((target("avx2,fma")))
void attend_head8(const float* qh, const float* keys, const float* values, const int32_t* visible, int64_t n,
                  float scale, float* scores, float* yh) {
  const __m256 q = _mm256_loadu_ps(qh);
  const __m256 scales = _mm256_set1_ps(scale);
  __m256 tops = _mm256_set1_ps(-INFINITY);
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 p[8];
    for (int k = 0; k < 8; ++k) p[k] = _mm256_mul_ps(q, _mm256_loadu_ps(keys + visible[j + k] * 8));
    const __m256 a = _mm256_hadd_ps(_mm256_hadd_ps(p[0], p[1]), _mm256_hadd_ps(p[2], p[3]));
    const __m256 b = _mm256_hadd_ps(_mm256_hadd_ps(p[4], p[5]), _mm256_hadd_ps(p[6], p[7]));
    const __m256 sums = _mm256_add_ps(_mm256_permute2f128_ps(a, b, 0x20), _mm256_permute2f128_ps(a, b, 0x31));
    const __m256 scaled = _mm256_mul_ps(sums, scales);
    tops = _mm256_max_ps(tops, scaled);
    _mm256_storeu_ps(scores + j, scaled);
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, tops);
  float top = *std::max_element(lanes, lanes + 8);
  for (; j < n; ++j) {
    const float* key = keys + visible[j] * 8;
    float sum = 0;
    for (int i = 0; i < 8; ++i) sum += qh[i] * key[i];
    scores[j] = sum * scale;
    top = std::max(top, scores[j]);
  }
  const float total = softmax_weights(scores, n, top);   // the 1/total is applied once to the weighted sum
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  for (j = 0; j + 4 <= n; j += 4)
    for (int k = 0; k < 4; ++k)
      acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(scores[j + k]), _mm256_loadu_ps(values + visible[j + k] * 8), acc[k]);
  for (; j < n; ++j) acc[0] = _mm256_fmadd_ps(_mm256_set1_ps(scores[j]), _mm256_loadu_ps(values + visible[j] * 8), acc[0]);
  const __m256 sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
  _mm256_storeu_ps(yh, _mm256_mul_ps(sum, _mm256_set1_ps(1.0f / total)));
}

// Any head size that is a multiple of 8 (real models: 64, 128) with AVX2: four keys scored at once (four FMA chains
// over the head, reduced together by hadd), the softmax eight lanes at a time, the weighted values added into the
// output eight at a time. Same keys in the same order whatever else is in the batch.
__attribute__((target("avx2,fma")))
void attend_head_avx2(const float* qh, const float* keys, const float* values, const int32_t* visible, int64_t n,
                      int64_t hd, float scale, float* scores, float* yh) {
  float top = -INFINITY;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const float* k0 = keys + visible[j] * hd;
    const float* k1 = keys + visible[j + 1] * hd;
    const float* k2 = keys + visible[j + 2] * hd;
    const float* k3 = keys + visible[j + 3] * hd;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int64_t i = 0; i < hd; i += 8) {
      const __m256 q = _mm256_loadu_ps(qh + i);
      a0 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k0 + i), a0);
      a1 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k1 + i), a1);
      a2 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k2 + i), a2);
      a3 = _mm256_fmadd_ps(q, _mm256_loadu_ps(k3 + i), a3);
    }
    _mm_storeu_ps(scores + j, _mm_mul_ps(sum4(a0, a1, a2, a3), _mm_set1_ps(scale)));
    for (int k = 0; k < 4; ++k) top = std::max(top, scores[j + k]);
  }
  for (; j < n; ++j) {
    const float* key = keys + visible[j] * hd;
    __m256 a = _mm256_setzero_ps();
    for (int64_t i = 0; i < hd; i += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(qh + i), _mm256_loadu_ps(key + i), a);
    const __m256 z = _mm256_setzero_ps();
    scores[j] = _mm_cvtss_f32(sum4(a, z, z, z)) * scale;   // the same order as a key among four
    top = std::max(top, scores[j]);
  }
  const float total = softmax_weights(scores, n, top);
  std::fill(yh, yh + hd, 0.0f);
  for (j = 0; j < n; ++j) {
    const __m256 p = _mm256_set1_ps(scores[j]);
    const float* v = values + visible[j] * hd;
    for (int64_t i = 0; i < hd; i += 8)
      _mm256_storeu_ps(yh + i, _mm256_fmadd_ps(p, _mm256_loadu_ps(v + i), _mm256_loadu_ps(yh + i)));
  }
  const __m256 inv = _mm256_set1_ps(1.0f / total);
  for (int64_t i = 0; i < hd; i += 8) _mm256_storeu_ps(yh + i, _mm256_mul_ps(_mm256_loadu_ps(yh + i), inv));
}

// For each row and query head: softmax(q·Kᵀ/√d over keys [0, last], padding masked)·V, into y (B, heads, hd). A row
// is a sequence (its own cache row, last = slot) or, with one_sequence, the token at slot + b of cache row 0.
// A batch row's keys are a suffix of the columns (plus any virtual tokens), so each row first lists the columns it
// may see and the heads then visit only those: padding costs one pass over the mask per row, not one per head.
__attribute__((target_clones("avx2,fma", "default")))
void attend(const float* q, const float* kc, const float* vc, const bool* pad, int64_t pad_stride, int64_t B,
            int64_t heads, int64_t kv_heads, int64_t capacity, int64_t hd, int64_t slot, bool one_sequence,
            float* scores, int32_t* visible, float* y) {
  const int64_t groups = heads / kv_heads;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
  for (int64_t b = 0; b < B; ++b) {
    const int64_t row = one_sequence ? 0 : b;
    const int64_t last = one_sequence ? slot + b : slot;
    const bool* allowed = pad ? pad + row * pad_stride : nullptr;
    int64_t n = 0;
    for (int64_t t = 0; t <= last; ++t)
      if (!allowed || allowed[t] || t == last) visible[n++] = static_cast<int32_t>(t);
    for (int64_t head = 0; head < heads; ++head) {
      const int64_t kvh = head / groups;
      const float* keys = kc + (row * kv_heads + kvh) * capacity * hd;
      const float* values = vc + (row * kv_heads + kvh) * capacity * hd;
      const float* qh = q + (b * heads + head) * hd;
      if (hd == 8 && has_avx2_fma()) {
        attend_head8(qh, keys, values, visible, n, scale, scores, y + (b * heads + head) * hd);
        continue;
      }
      if (hd % 8 == 0 && has_avx2_fma()) {
        attend_head_avx2(qh, keys, values, visible, n, hd, scale, scores, y + (b * heads + head) * hd);
        continue;
      }
      float top = -INFINITY;
      for (int64_t j = 0; j < n; ++j) {
        scores[j] = dot(qh, keys + visible[j] * hd, hd) * scale;
        top = std::max(top, scores[j]);
      }
      float total = 0;
      for (int64_t j = 0; j < n; ++j) {
        scores[j] = exp_poly(scores[j] - top);
        total += scores[j];
      }
      float* yh = y + (b * heads + head) * hd;
      std::fill(yh, yh + hd, 0.0f);
      const float inv = 1.0f / total;
      for (int64_t j = 0; j < n; ++j) {
        const float p = scores[j] * inv;
        const float* v = values + visible[j] * hd;
        for (int64_t i = 0; i < hd; ++i) yh[i] += p * v[i];
      }
    }
  }
}

struct Timer {
  double* total;
  clock_type::time_point start;
  explicit Timer(double* t) : total(t), start(t ? clock_type::now() : clock_type::time_point()) {}
  ~Timer() {
    if (total) *total += std::chrono::duration<double>(clock_type::now() - start).count();
  }
};

const float* floats(const at::Tensor& t, const char* what) {
  if (t.scalar_type() != at::kFloat || !t.is_cpu() || !t.is_contiguous())
    throw std::invalid_argument(std::string("fused decode: ") + what + " must be a contiguous float32 CPU tensor");
  return t.data_ptr<float>();
}

// y (B, out) = x (B, in)·Wᵀ + b (+ s·B(A x)).
void linear(const cs_linear_desc& p, const float* x, int64_t B, int64_t in, float* y, int64_t out, double* seconds,
            const char* what) {
  const at::Tensor& W = cs::T(p.weight);
  if (W.dim() != 2 || W.size(0) != out || W.size(1) != in)
    throw std::invalid_argument(std::string("fused decode: ") + what + " weight has the wrong shape");
  const float* w = floats(W, what);
  {
    Timer timer(seconds);
    if (cs::prefers_small_linear(B, in, out)) {
      cs::small_linear(x, B, in, w, out, y);
    } else {
      at::Tensor X = at::from_blob(const_cast<float*>(x), {B, in}, at::kFloat);
      at::Tensor Y = at::from_blob(y, {B, out}, at::kFloat);
      if (B == 1) {
        at::Tensor y1 = Y.view({out});
        at::mv_out(y1, W, X.view({in}));
      } else
        at::mm_out(Y, X, W.t());
    }
  }
  if (p.bias != nullptr) {
    const float* bias = floats(cs::T(p.bias), what);
    for (int64_t b = 0; b < B; ++b)
      for (int64_t o = 0; o < out; ++o) y[b * out + o] += bias[o];
  }
  if (p.lora_a != nullptr) {
    const at::Tensor& A = cs::T(p.lora_a);
    const int64_t r = A.size(0);
    const float* a = floats(A, "LoRA A");
    const float* bw = floats(cs::T(p.lora_b), "LoRA B");
    Timer timer(seconds);
    thread_local std::vector<float> t;  // reused: this runs for every adapted projection of every token
    if (static_cast<int64_t>(t.size()) < r) t.resize(static_cast<size_t>(r));
    const float s = static_cast<float>(p.lora_scale);
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t i = 0; i < r; ++i) t[i] = dot(x + b * in, a + i * in, in);
      for (int64_t o = 0; o < out; ++o) y[b * out + o] += s * dot(bw + o * r, t.data(), r);
    }
  }
}

// x / √(mean(x²) + ε) · w over n floats, written to y (may alias x).
void rms_norm(const float* x, const float* w, int64_t n, double eps, float* y) {
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  const float scale = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(n) + eps));
  for (int64_t i = 0; i < n; ++i) y[i] = w[i] * (x[i] * scale);
}

// x·cos + rotate_half(x)·sin in place over one head of d floats, rotate_half(x) = (−x₂, x₁).
void rotary(float* x, const float* cos, const float* sin, int64_t d) {
  const int64_t half = d / 2;
  for (int64_t i = 0; i < half; ++i) {
    const float x1 = x[i], x2 = x[i + half];
    x[i] = x1 * cos[i] - x2 * sin[i];
    x[i + half] = x2 * cos[i + half] + x1 * sin[i + half];
  }
}

// Scratch buffers reused across calls on one thread (decoding runs on one inference thread).
struct Scratch {
  std::vector<float> normed, q, k, v, y, o, gate, up, scores;
  std::vector<int32_t> visible;
  static float* sized(std::vector<float>& v, int64_t n) {
    if (static_cast<int64_t>(v.size()) < n) v.resize(static_cast<size_t>(n));
    return v.data();
  }
};
thread_local Scratch scratch;

}  // namespace

CS_API int cs_llama_decode_layer(cs_tensor hidden, cs_tensor input_norm, cs_tensor post_norm, double eps,
                                 const cs_linear_desc* projections, cs_tensor q_norm, cs_tensor k_norm, cs_tensor cos,
                                 cs_tensor sin, cs_tensor k_cache, cs_tensor v_cache, int64_t slot,
                                 cs_tensor key_padding, int64_t heads, int64_t kv_heads, int32_t one_sequence,
                                 double* matmul_seconds) {
  CS_TRY
  if (projections == nullptr) throw std::invalid_argument("fused decode: projections are null");
  at::Tensor& H = cs::T(hidden);
  if (H.dim() != 2) throw std::invalid_argument("fused decode: hidden must be (B, C)");
  float* h = const_cast<float*>(floats(H, "hidden"));
  const int64_t B = H.size(0), C = H.size(1);
  const at::Tensor& K = cs::T(k_cache);
  const at::Tensor& V = cs::T(v_cache);
  const int64_t cache_rows = one_sequence ? 1 : B;
  const int64_t slots = one_sequence ? B : 1;   // slots written per cache row
  if (K.dim() != 4 || K.size(0) != cache_rows || K.size(1) != kv_heads || !V.sizes().equals(K.sizes()))
    throw std::invalid_argument(one_sequence ? "fused decode: caches must be (1, kvHeads, capacity, headDim) for one sequence"
                                             : "fused decode: caches must be (B, kvHeads, capacity, headDim)");
  const int64_t capacity = K.size(2), hd = K.size(3);
  if (slot < 0 || slot + slots > capacity) throw std::invalid_argument("fused decode: cache slot out of range");
  if (heads <= 0 || kv_heads <= 0 || heads % kv_heads != 0)
    throw std::invalid_argument("fused decode: heads must be a positive multiple of kv_heads");
  float* kc = const_cast<float*>(floats(K, "key cache"));
  float* vc = const_cast<float*>(floats(V, "value cache"));
  const float* c = floats(cs::T(cos), "cos");
  const float* s = floats(cs::T(sin), "sin");
  if (cs::T(cos).numel() != B * hd || cs::T(sin).numel() != B * hd)
    throw std::invalid_argument("fused decode: cos/sin must be (B, headDim)");
  const bool* pad = nullptr;
  int64_t pad_stride = 0;
  if (key_padding != nullptr) {
    const at::Tensor& P = cs::T(key_padding);
    if (P.scalar_type() != at::kBool || !P.is_contiguous() || P.dim() != 2 || P.size(0) != cache_rows ||
        P.size(1) < slot + slots)
      throw std::invalid_argument("fused decode: key_padding must be contiguous bool (cache rows, >= last slot + 1)");
    pad = P.data_ptr<bool>();
    pad_stride = P.size(1);
  }
  const float* qn = q_norm ? floats(cs::T(q_norm), "q_norm") : nullptr;
  const float* kn = k_norm ? floats(cs::T(k_norm), "k_norm") : nullptr;
  const int64_t inter = cs::T(projections[4].weight).size(0);

  float* normed = Scratch::sized(scratch.normed, B * C);
  float* q = Scratch::sized(scratch.q, B * heads * hd);
  float* k = Scratch::sized(scratch.k, B * kv_heads * hd);
  float* v = Scratch::sized(scratch.v, B * kv_heads * hd);
  float* y = Scratch::sized(scratch.y, B * heads * hd);
  float* o = Scratch::sized(scratch.o, B * C);
  float* scores = Scratch::sized(scratch.scores, slot + slots);
  if (static_cast<int64_t>(scratch.visible.size()) < slot + slots) scratch.visible.resize(static_cast<size_t>(slot + slots));

  // Attention block.
  const float* w_in = floats(cs::T(input_norm), "input_layernorm");
  for (int64_t b = 0; b < B; ++b) rms_norm(h + b * C, w_in, C, eps, normed + b * C);
  linear(projections[0], normed, B, C, q, heads * hd, matmul_seconds, "q_proj");
  linear(projections[1], normed, B, C, k, kv_heads * hd, matmul_seconds, "k_proj");
  linear(projections[2], normed, B, C, v, kv_heads * hd, matmul_seconds, "v_proj");
  for (int64_t b = 0; b < B; ++b) {
    const float* cb = c + b * hd;
    const float* sb = s + b * hd;
    for (int64_t head = 0; head < heads; ++head) {
      float* qh = q + (b * heads + head) * hd;
      if (qn) rms_norm(qh, qn, hd, eps, qh);
      rotary(qh, cb, sb, hd);
    }
    for (int64_t kvh = 0; kvh < kv_heads; ++kvh) {
      float* kh = k + (b * kv_heads + kvh) * hd;
      if (kn) rms_norm(kh, kn, hd, eps, kh);
      rotary(kh, cb, sb, hd);
      const int64_t base = one_sequence ? (kvh * capacity + slot + b) * hd : ((b * kv_heads + kvh) * capacity + slot) * hd;
      std::copy(kh, kh + hd, kc + base);
      std::copy(v + (b * kv_heads + kvh) * hd, v + (b * kv_heads + kvh + 1) * hd, vc + base);
    }
  }
  {
    Timer timer(matmul_seconds);
    attend(q, kc, vc, pad, pad_stride, B, heads, kv_heads, capacity, hd, slot, one_sequence != 0, scores,
           scratch.visible.data(), y);
  }
  linear(projections[3], y, B, heads * hd, o, C, matmul_seconds, "o_proj");
  for (int64_t i = 0; i < B * C; ++i) h[i] += o[i];

  // Feed-forward block (SwiGLU).
  float* gate = Scratch::sized(scratch.gate, B * inter);
  float* up = Scratch::sized(scratch.up, B * inter);
  const float* w_post = floats(cs::T(post_norm), "post_attention_layernorm");
  for (int64_t b = 0; b < B; ++b) rms_norm(h + b * C, w_post, C, eps, normed + b * C);
  linear(projections[4], normed, B, C, gate, inter, matmul_seconds, "gate_proj");
  linear(projections[5], normed, B, C, up, inter, matmul_seconds, "up_proj");
  swiglu(gate, up, B * inter);
  linear(projections[6], gate, B, inter, o, C, matmul_seconds, "down_proj");
  for (int64_t i = 0; i < B * C; ++i) h[i] += o[i];
  CS_CATCH
}
