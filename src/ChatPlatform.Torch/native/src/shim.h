// Internal helpers shared by the shim's translation units: the exception guard and handle conversions.
#pragma once
#include <ATen/ATen.h>
#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "cs_core.h"

namespace cs {

extern std::atomic<int64_t> live_handles;

int fail(int code, const char* message);

inline at::Tensor& T(cs_tensor t) {
  if (t == nullptr) throw std::invalid_argument("tensor handle is null");
  return *reinterpret_cast<at::Tensor*>(t);
}

inline c10::optional<at::Tensor> optional_tensor(cs_tensor t) {
  if (t == nullptr) return c10::nullopt;
  return *reinterpret_cast<at::Tensor*>(t);
}

// Transfers a result to the caller. An undefined tensor becomes NULL, which is not an error.
inline cs_tensor wrap(at::Tensor t) {
  if (!t.defined()) return nullptr;
  live_handles.fetch_add(1, std::memory_order_relaxed);
  return reinterpret_cast<cs_tensor>(new at::Tensor(std::move(t)));
}

inline at::Scalar S(cs_scalar s) {
  switch (s.kind) {
    case 1: return at::Scalar(static_cast<int64_t>(s.i));
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline at::IntArrayRef dims(const int64_t* data, int n) {
  if (n < 0 || (n > 0 && data == nullptr)) throw std::invalid_argument("shape or dims array is null or negative-length");
  return at::IntArrayRef(data, static_cast<size_t>(n));
}

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

inline std::vector<at::Tensor> tensor_list(const cs_tensor* tensors, int count) {
  if (count < 0 || (count > 0 && tensors == nullptr)) throw std::invalid_argument("tensor list is null");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) list.push_back(T(tensors[i]));
  return list;
}

}  // namespace cs

// Every exported body sits between CS_TRY and CS_CATCH: a C++ exception that escaped into .NET would kill the process.
#define CS_TRY try {
#define CS_CATCH                                                                              \
  return CS_OK;                                                                               \
  }                                                                                           \
  catch (const c10::OutOfMemoryError& e) {                                                    \
    return cs::fail(CS_ERR_OUT_OF_MEMORY, e.what_without_backtrace());                        \
  }                                                                                           \
  catch (const c10::Error& e) {                                                               \
    return cs::fail(CS_ERR_INVALID_ARGUMENT, e.what_without_backtrace());                     \
  }                                                                                           \
  catch (const std::bad_alloc&) {                                                             \
    return cs::fail(CS_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)");                  \
  }                                                                                           \
  catch (const std::invalid_argument& e) {                                                    \
    return cs::fail(CS_ERR_INVALID_ARGUMENT, e.what());                                       \
  }                                                                                           \
  catch (const std::exception& e) {                                                           \
    return cs::fail(CS_ERR_INTERNAL, e.what());                                               \
  }                                                                                           \
  catch (...) {                                                                               \
    return cs::fail(CS_ERR_INTERNAL, "unknown C++ exception in the libtorch shim");           \
  }

// One-result functions: `CS_RESULT(out, expression)`.
#define CS_RESULT(out, expr)                                                   \
  CS_TRY if ((out) == nullptr) throw std::invalid_argument("out is null");     \
  *(out) = cs::wrap(expr);                                                     \
  CS_CATCH
