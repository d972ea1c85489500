// Random numbers: the global seed, explicit generators, sampling.
#pragma once
#include "cs_core.h"

CS_API int cs_manual_seed(int64_t seed);  // seeds the CPU and every CUDA default generator
CS_API int cs_generator_new(int64_t seed, int device_type, int device_index, cs_generator* out);
CS_API int cs_generator_free(cs_generator g);
CS_API int cs_generator_seed(cs_generator g, int64_t seed);
// The state of a generator (g NULL = the device's default generator) as a uint8 tensor, and back: lets a training
// run checkpoint its randomness (dropout masks) and resume the same sequence.
CS_API int cs_generator_get_state(cs_generator g, int device_type, cs_tensor* out);
CS_API int cs_generator_set_state(cs_generator g, int device_type, cs_tensor state);

// g nullable (NULL = the default generator of the device).
CS_API int cs_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_generator g,
                    cs_tensor* out);
CS_API int cs_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_generator g,
                   cs_tensor* out);
CS_API int cs_multinomial(cs_tensor probs, int64_t num_samples, int replacement, cs_generator g, cs_tensor* out);
CS_API int cs_normal_(cs_tensor self, double mean, double std, cs_generator g);
CS_API int cs_uniform_(cs_tensor self, double from, double to, cs_generator g);
