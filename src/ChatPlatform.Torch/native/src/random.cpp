#include <ATen/CPUGeneratorImpl.h>
#include <mutex>

#include "cs_random.h"
#include "shim.h"

using cs::T;

namespace {
at::Generator& G(cs_generator g) { return *reinterpret_cast<at::Generator*>(g); }
c10::optional<at::Generator> optional_generator(cs_generator g) {
  if (g == nullptr) return c10::nullopt;
  return G(g);
}
// Generator is a shared handle: a copy seeds the same engine.
void seed_generator(at::Generator gen, int64_t seed) {
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(static_cast<uint64_t>(seed));
}
}  // namespace

CS_API int cs_manual_seed(int64_t seed) {
  CS_TRY
  seed_generator(at::detail::getDefaultCPUGenerator(), seed);
  if (at::globalContext().hasCUDA()) {
    const auto n = at::detail::getCUDAHooks().getNumGPUs();
    for (int i = 0; i < n; ++i) seed_generator(at::detail::getCUDAHooks().getDefaultCUDAGenerator(i), seed);
  }
  CS_CATCH
}

CS_API int cs_generator_new(int64_t seed, int device_type, int device_index, cs_generator* out) {
  CS_TRY
  at::Device device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
  // A private clone of the device's default generator: works for CPU and CUDA without CUDA headers here.
  at::Generator gen = device.is_cpu() ? at::detail::createCPUGenerator()
                                      : at::detail::getCUDAHooks().getDefaultCUDAGenerator(device.index()).clone();
  seed_generator(gen, seed);
  *out = reinterpret_cast<cs_generator>(new at::Generator(std::move(gen)));
  CS_CATCH
}
CS_API int cs_generator_free(cs_generator g) { CS_TRY delete reinterpret_cast<at::Generator*>(g); CS_CATCH }
CS_API int cs_generator_seed(cs_generator g, int64_t seed) { CS_TRY seed_generator(G(g), seed); CS_CATCH }

namespace {
at::Generator generator_or_default(cs_generator g, int device_type) {
  if (g != nullptr) return G(g);
  if (device_type == static_cast<int>(c10::DeviceType::CPU)) return at::detail::getDefaultCPUGenerator();
  return at::detail::getCUDAHooks().getDefaultCUDAGenerator(-1);
}
}  // namespace

CS_API int cs_generator_get_state(cs_generator g, int device_type, cs_tensor* out) {
  CS_TRY
  at::Generator gen = generator_or_default(g, device_type);
  std::lock_guard<std::mutex> lock(gen.mutex());
  *out = cs::wrap(gen.get_state());
  CS_CATCH
}
CS_API int cs_generator_set_state(cs_generator g, int device_type, cs_tensor state) {
  CS_TRY
  at::Generator gen = generator_or_default(g, device_type);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(T(state));
  CS_CATCH
}

CS_API int cs_randn(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_generator g,
                    cs_tensor* out) {
  CS_RESULT(out, at::randn(cs::dims(shape, ndim), optional_generator(g), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_rand(const int64_t* shape, int ndim, int dtype, int device_type, int device_index, cs_generator g,
                   cs_tensor* out) {
  CS_RESULT(out, at::rand(cs::dims(shape, ndim), optional_generator(g), cs::options(dtype, device_type, device_index)))
}
CS_API int cs_multinomial(cs_tensor probs, int64_t num_samples, int replacement, cs_generator g, cs_tensor* out) {
  CS_RESULT(out, at::multinomial(T(probs), num_samples, replacement != 0, optional_generator(g)))
}
CS_API int cs_normal_(cs_tensor self, double mean, double std, cs_generator g) {
  CS_TRY T(self).normal_(mean, std, optional_generator(g));
  CS_CATCH
}
CS_API int cs_uniform_(cs_tensor self, double from, double to, cs_generator g) {
  CS_TRY T(self).uniform_(from, to, optional_generator(g));
  CS_CATCH
}
