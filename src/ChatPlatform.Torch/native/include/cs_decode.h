// Fused decode: one Llama-family decoder layer for one new token per sequence, in one call; or, with one_sequence,
// for the B consecutive tokens of one sequence (a short prompt's prefill).
// Decoding a small model through single ops is dominated by per-op cost (dispatch, allocation, BLAS start-up for
// 64-wide products). This path keeps the arithmetic of a layer in one function with reused scratch buffers. It runs
// float32 on the CPU; other devices and dtypes use the modular path, which stays the reference.
#pragma once
#include "cs_core.h"

// A linear projection y = x·Wᵀ + b (+ s·B(A x) for an unmerged LoRA adapter).
typedef struct {
  cs_tensor weight;  // (out, in) float32, contiguous
  cs_tensor bias;    // (out) or NULL
  cs_tensor lora_a;  // (r, in) or NULL
  cs_tensor lora_b;  // (out, r) or NULL
  double lora_scale;
} cs_linear_desc;

// hidden (B, C) float32 is updated in place: h += o(attn(norm(h))); h += down(silu(gate(n)) * up(n)), n = norm(h).
// projections: q, k, v, o, gate, up, down. q_norm/k_norm: per-head RMSNorm weights (headDim) or NULL (Qwen3 has them).
// cos/sin (B, headDim): rotary tables at each sequence's position ("rotate_half" layout).
// k_cache/v_cache (B, kvHeads, capacity, headDim): the new key/value are written at `slot`; keys [0, slot] are attended.
// key_padding (B, >= slot + 1) bool or NULL: false marks padding keys (a query always sees its own key).
// one_sequence != 0: the B rows are tokens slot, slot + 1, ... of one sequence; the caches are (1, kvHeads, capacity,
// headDim), row b's key goes to slot + b and row b attends keys [0, slot + b] (causal); key_padding is (1, >= slot + B).
// matmul_seconds, when not NULL, accumulates the time spent in matrix products (projections and attention).
CS_API int cs_llama_decode_layer(cs_tensor hidden, cs_tensor input_norm, cs_tensor post_norm, double eps,
                                 const cs_linear_desc* projections, cs_tensor q_norm, cs_tensor k_norm, cs_tensor cos,
                                 cs_tensor sin, cs_tensor k_cache, cs_tensor v_cache, int64_t slot,
                                 cs_tensor key_padding, int64_t heads, int64_t kv_heads, int32_t one_sequence,
                                 double* matmul_seconds);
