// The C ABI of ChatPlatform's libtorch shim: status codes, errors, threads, versions, handle accounting.
// Rules for every header in this folder:
//  - every function returns a status (CS_OK or an error code); results go through out-parameters;
//  - on error the message is in a thread-local buffer owned by the shim (cs_last_error);
//  - a function that returns a tensor handle gives ownership to the caller (free it with cs_tensor_free);
//  - a NULL tensor out-parameter with CS_OK means "undefined tensor" (e.g. a grad that does not exist),
//    which is not an error.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
#define CS_EXTERN extern "C"
#else
#define CS_EXTERN
#endif
#define CS_API CS_EXTERN __attribute__((visibility("default")))

enum cs_status {
  CS_OK = 0,
  CS_ERR_INVALID_ARGUMENT = 1,  // libtorch rejected the call (shape, dtype, device, index...)
  CS_ERR_OUT_OF_MEMORY = 2,     // host or device allocation failed
  CS_ERR_INTERNAL = 3           // anything else (a bug in the shim or libtorch)
};

typedef struct cs_tensor_s* cs_tensor;        // owns one at::Tensor reference
typedef struct cs_generator_s* cs_generator;  // owns one at::Generator

// A scalar argument: kind 0 = double (d), 1 = int64 (i), 2 = bool (i != 0).
typedef struct cs_scalar {
  double d;
  int64_t i;
  int32_t kind;
} cs_scalar;

// The message of the last failed call on this thread (valid until the next failing call on it).
CS_API const char* cs_last_error(void);

CS_API int cs_version(int* major, int* minor, int* patch);
CS_API int cs_get_num_threads(int* out);
CS_API int cs_set_num_threads(int n);
CS_API int cs_get_num_interop_threads(int* out);

// Tensor handles currently alive (created and not yet freed): lets tests prove loops do not leak.
CS_API int cs_live_tensor_handles(int64_t* out);
