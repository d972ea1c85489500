// The same work timed entirely inside C++, so benchmarks can compare the binding against a direct call.
#pragma once
#include "cs_core.h"

// Runs n x n fp32 matmul `iterations` times on the device after one warm-up; seconds is the total wall time.
CS_API int cs_bench_matmul(int64_t n, int iterations, int device_type, double* seconds);
// Times `rounds` rounds of `per_round` adds of two 1-element tensors; writes each round's ns per add.
CS_API int cs_bench_tiny_add(int rounds, int per_round, double* ns_per_op);
