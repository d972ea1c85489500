#include <cstring>
#include <sstream>

#include "cs_tensor.h"
#include "shim.h"

using cs::T;

CS_API int cs_tensor_free(cs_tensor t) {
  CS_TRY if (t == nullptr) return CS_OK;
  delete reinterpret_cast<at::Tensor*>(t);
  cs::live_handles.fetch_sub(1, std::memory_order_relaxed);
  CS_CATCH
}

CS_API int cs_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                               int target_dtype, int device_type, int device_index, cs_tensor* out) {
  CS_TRY
  auto sizes = cs::dims(shape, ndim);
  auto type = static_cast<at::ScalarType>(dtype);
  int64_t expected = static_cast<int64_t>(c10::elementSize(type));
  for (auto s : sizes) {
    if (s < 0) throw std::invalid_argument("shape has a negative dimension");
    if (__builtin_mul_overflow(expected, s, &expected)) throw std::invalid_argument("shape is too large (byte count overflows)");
  }
  if (expected != nbytes) {
    throw std::invalid_argument("data has " + std::to_string(nbytes) + " bytes but shape and dtype need " +
                                std::to_string(expected));
  }
  if (nbytes > 0 && data == nullptr) throw std::invalid_argument("data pointer is null");
  // A non-owning view of the caller's memory, valid only during this call: `to(..., copy=true)` makes the one
  // copy (to the device and target dtype at once), so nothing refers to `data` afterwards.
  at::Tensor view = at::from_blob(const_cast<void*>(data), sizes, at::TensorOptions().dtype(type));
  at::Device device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
  auto target = target_dtype < 0 ? type : static_cast<at::ScalarType>(target_dtype);
  *out = cs::wrap(view.to(at::TensorOptions().dtype(target).device(device), false, true));
  CS_CATCH
}

CS_API int cs_tensor_copy_from(cs_tensor dst, const void* data, int64_t nbytes, int dtype) {
  CS_TRY
  at::Tensor& target = T(dst);
  auto type = static_cast<at::ScalarType>(dtype);
  const int64_t expected = target.numel() * static_cast<int64_t>(c10::elementSize(type));
  if (expected != nbytes) {
    throw std::invalid_argument("data has " + std::to_string(nbytes) + " bytes but the destination needs " +
                                std::to_string(expected));
  }
  if (nbytes > 0 && data == nullptr) throw std::invalid_argument("data pointer is null");
  if (nbytes > 0) target.copy_(at::from_blob(const_cast<void*>(data), target.sizes(), at::TensorOptions().dtype(type)));
  CS_CATCH
}

CS_API int cs_tensor_copy_to(cs_tensor t, void* data, int64_t nbytes) {
  CS_TRY
  at::Tensor src = T(t).detach().to(at::kCPU).contiguous();
  const int64_t have = src.numel() * static_cast<int64_t>(src.element_size());
  if (have != nbytes) {
    throw std::invalid_argument("tensor has " + std::to_string(have) + " bytes but the destination holds " +
                                std::to_string(nbytes));
  }
  if (nbytes > 0) std::memcpy(data, src.data_ptr(), static_cast<size_t>(nbytes));
  CS_CATCH
}

CS_API int cs_tensor_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out) {
  CS_RESULT(out, at::empty(cs::dims(shape, ndim), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_tensor_zeros(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out) {
  CS_RESULT(out, at::zeros(cs::dims(shape, ndim), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_tensor_ones(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out) {
  CS_RESULT(out, at::ones(cs::dims(shape, ndim), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_tensor_full(const int64_t* shape, int ndim, cs_scalar value, int dtype, int device_type, int device_index,
                          cs_tensor* out) {
  CS_RESULT(out, at::full(cs::dims(shape, ndim), cs::S(value), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_tensor_arange(cs_scalar start, cs_scalar end, cs_scalar step, int dtype, int device_type, int device_index,
                            cs_tensor* out) {
  CS_RESULT(out, at::arange(cs::S(start), cs::S(end), cs::S(step), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_tensor_zeros_like(cs_tensor t, cs_tensor* out) { CS_RESULT(out, at::zeros_like(T(t))) }
CS_API int cs_tensor_ones_like(cs_tensor t, cs_tensor* out) { CS_RESULT(out, at::ones_like(T(t))) }

CS_API int cs_tensor_dim(cs_tensor t, int* out) { CS_TRY *out = static_cast<int>(T(t).dim()); CS_CATCH }
CS_API int cs_tensor_shape(cs_tensor t, int64_t* out, int capacity) {
  CS_TRY
  auto sizes = T(t).sizes();
  if (static_cast<int>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
  for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
  CS_CATCH
}
CS_API int cs_tensor_numel(cs_tensor t, int64_t* out) { CS_TRY *out = T(t).numel(); CS_CATCH }
CS_API int cs_tensor_dtype(cs_tensor t, int* out) { CS_TRY *out = static_cast<int>(T(t).scalar_type()); CS_CATCH }
CS_API int cs_tensor_device(cs_tensor t, int* type, int* index) {
  CS_TRY
  auto d = T(t).device();
  *type = static_cast<int>(d.type());
  *index = d.index();
  CS_CATCH
}
CS_API int cs_tensor_is_contiguous(cs_tensor t, int* out) { CS_TRY *out = T(t).is_contiguous() ? 1 : 0; CS_CATCH }
CS_API int cs_tensor_item_double(cs_tensor t, double* out) { CS_TRY *out = T(t).item<double>(); CS_CATCH }
CS_API int cs_tensor_item_int64(cs_tensor t, int64_t* out) { CS_TRY *out = T(t).item<int64_t>(); CS_CATCH }

CS_API int cs_tensor_to_string(cs_tensor t, char* buffer, int capacity, int* needed) {
  CS_TRY
  std::ostringstream s;
  s << T(t);
  std::string text = s.str();
  *needed = static_cast<int>(text.size()) + 1;
  if (buffer != nullptr && capacity >= *needed) std::memcpy(buffer, text.c_str(), text.size() + 1);
  CS_CATCH
}

CS_API int cs_tensor_to(cs_tensor t, int dtype, int device_type, int device_index, int non_blocking, int copy,
                        cs_tensor* out) {
  CS_TRY
  const at::Tensor& self = T(t);
  at::TensorOptions opts = at::TensorOptions()
                               .dtype(dtype < 0 ? self.scalar_type() : static_cast<at::ScalarType>(dtype))
                               .device(device_type < 0 ? self.device()
                                                       : at::Device(static_cast<c10::DeviceType>(device_type),
                                                                    static_cast<c10::DeviceIndex>(device_index)));
  *out = cs::wrap(self.to(opts, non_blocking != 0, copy != 0));
  CS_CATCH
}
CS_API int cs_tensor_clone(cs_tensor t, cs_tensor* out) { CS_RESULT(out, T(t).clone()) }
CS_API int cs_tensor_detach(cs_tensor t, cs_tensor* out) { CS_RESULT(out, T(t).detach()) }
CS_API int cs_tensor_contiguous(cs_tensor t, cs_tensor* out) { CS_RESULT(out, T(t).contiguous()) }
CS_API int cs_tensor_alias(cs_tensor t, cs_tensor* out) { CS_RESULT(out, T(t)) }
CS_API int cs_tensor_set_data(cs_tensor t, cs_tensor data) { CS_TRY T(t).set_data(T(data)); CS_CATCH }
