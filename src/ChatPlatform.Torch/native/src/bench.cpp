#include <chrono>
#include <torch/cuda.h>

#include "cs_bench.h"
#include "shim.h"

namespace {
using clock_type = std::chrono::steady_clock;
double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}
}  // namespace

CS_API int cs_bench_matmul(int64_t n, int iterations, int device_type, double* seconds) {
  CS_TRY
  auto opts = at::TensorOptions().dtype(at::kFloat).device(static_cast<c10::DeviceType>(device_type));
  at::Tensor a = at::randn({n, n}, opts), b = at::randn({n, n}, opts);
  at::Tensor c = at::matmul(a, b);  // warm-up
  if (device_type == 1) torch::cuda::synchronize();
  auto start = clock_type::now();
  for (int i = 0; i < iterations; ++i) c = at::matmul(a, b);
  if (device_type == 1) torch::cuda::synchronize();
  *seconds = seconds_since(start);
  CS_CATCH
}

CS_API int cs_bench_tiny_add(int rounds, int per_round, double* ns_per_op) {
  CS_TRY
  at::Tensor a = at::ones({1}), b = at::ones({1});
  for (int r = 0; r < rounds; ++r) {
    auto start = clock_type::now();
    for (int i = 0; i < per_round; ++i) {
      at::Tensor c = a + b;  // allocate a result and release it, as the binding does
    }
    ns_per_op[r] = seconds_since(start) * 1e9 / per_round;
  }
  CS_CATCH
}
