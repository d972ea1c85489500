// Tensor creation, metadata, data transfer, conversion and lifetime.
#pragma once
#include "cs_core.h"

// dtype codes are c10::ScalarType values (Byte=0, Int=3, Long=4, Half=5, Float=6, Double=7, Bool=11, BFloat16=15).
// device: type (c10::DeviceType: CPU=0, CUDA=1) and index (-1 = current/default).

CS_API int cs_tensor_free(cs_tensor t);

// Copies nbytes of `dtype` elements from data (host memory) into a new tensor of the given shape on the device,
// converted to `target_dtype` (-1 = keep) in the same pass. Used for managed spans and for memory-mapped
// safetensors: one copy, no intermediate managed or native buffer.
CS_API int cs_tensor_from_data(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                               int target_dtype, int device_type, int device_index, cs_tensor* out);
// Overwrites `dst` (any device/dtype, e.g. a narrow view of a larger tensor) with nbytes of `dtype` elements read from
// host memory, converting in the same pass. Lets a large checkpoint tensor be filled in chunks.
CS_API int cs_tensor_copy_from(cs_tensor dst, const void* data, int64_t nbytes, int dtype);
// Copies a tensor's elements (converted to its contiguous CPU form) into host memory of nbytes.
CS_API int cs_tensor_copy_to(cs_tensor t, void* data, int64_t nbytes);

CS_API int cs_tensor_empty(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out);
CS_API int cs_tensor_zeros(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out);
CS_API int cs_tensor_ones(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_tensor* out);
CS_API int cs_tensor_full(const int64_t* shape, int ndim, cs_scalar value, int dtype, int device_type, int device_index,
                          cs_tensor* out);
CS_API int cs_tensor_arange(cs_scalar start, cs_scalar end, cs_scalar step, int dtype, int device_type, int device_index,
                            cs_tensor* out);
CS_API int cs_tensor_zeros_like(cs_tensor t, cs_tensor* out);
CS_API int cs_tensor_ones_like(cs_tensor t, cs_tensor* out);

CS_API int cs_tensor_dim(cs_tensor t, int* out);
CS_API int cs_tensor_shape(cs_tensor t, int64_t* out, int capacity);
CS_API int cs_tensor_numel(cs_tensor t, int64_t* out);
CS_API int cs_tensor_dtype(cs_tensor t, int* out);
CS_API int cs_tensor_device(cs_tensor t, int* type, int* index);
CS_API int cs_tensor_is_contiguous(cs_tensor t, int* out);
CS_API int cs_tensor_item_double(cs_tensor t, double* out);
CS_API int cs_tensor_item_int64(cs_tensor t, int64_t* out);
CS_API int cs_tensor_to_string(cs_tensor t, char* buffer, int capacity, int* needed);

// Converts dtype and/or device (dtype -1 or device_type -1 keep the current one).
CS_API int cs_tensor_to(cs_tensor t, int dtype, int device_type, int device_index, int non_blocking, int copy,
                        cs_tensor* out);
CS_API int cs_tensor_clone(cs_tensor t, cs_tensor* out);
CS_API int cs_tensor_detach(cs_tensor t, cs_tensor* out);
CS_API int cs_tensor_contiguous(cs_tensor t, cs_tensor* out);
// A new handle to the same tensor (shares storage and autograd identity).
CS_API int cs_tensor_alias(cs_tensor t, cs_tensor* out);
// Replaces the data of `t` with `data`'s, keeping t's autograd identity (PyTorch's `param.data = data`).
CS_API int cs_tensor_set_data(cs_tensor t, cs_tensor data);
