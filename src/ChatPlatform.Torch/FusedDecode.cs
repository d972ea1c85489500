using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

/// <summary>A linear projection for <see cref="FusedDecode"/>: y = x·Wᵀ + b, plus s·B(A x) for an unmerged LoRA adapter.</summary>
public readonly record struct FusedLinear(Tensor Weight, Tensor? Bias = null, Tensor? LoraA = null, Tensor? LoraB = null, double LoraScale = 0);

/// <summary>
/// Decoding one token through a Llama-family decoder layer in one engine call (native/include/cs_decode.h).
/// A small model decoded op by op spends most of each token on per-op dispatch and allocation; this path does a
/// layer's arithmetic in one native function with reused buffers. It takes float32 CPU tensors only: callers keep the
/// modular path for every other device and dtype (and as the reference the fused path is tested against).
/// </summary>
public static class FusedDecode
{
    /// <summary>Whether tensors of this dtype on this device can take the fused path.</summary>
    public static bool Supports(ScalarType dtype, Device device) => dtype == ScalarType.Float32 && device.Type == DeviceType.CPU;

    /// <summary>
    /// hidden (B, C) is updated in place. <paramref name="projections"/> are q, k, v, o, gate, up, down.
    /// cos/sin (B, headDim); caches (B, kvHeads, capacity, headDim) get the new key/value at <paramref name="slot"/>;
    /// <paramref name="keyPadding"/> (B, ≥ slot + 1) bool marks real keys.
    /// With <paramref name="oneSequence"/> the B rows are consecutive tokens of one sequence (a prompt's prefill): the
    /// caches are (1, kvHeads, capacity, headDim), row b is written at slot + b and attends causally, and keyPadding is
    /// (1, ≥ slot + B).
    /// </summary>
    public static unsafe void LlamaLayer(Tensor hidden, Tensor inputNorm, Tensor postNorm, double eps,
        ReadOnlySpan<FusedLinear> projections, Tensor? qNorm, Tensor? kNorm, Tensor cos, Tensor sin,
        Tensor keyCache, Tensor valueCache, long slot, Tensor? keyPadding, long heads, long kvHeads, bool oneSequence = false)
    {
        if (projections.Length != 7) throw new ArgumentException("fused decode needs 7 projections (q, k, v, o, gate, up, down)");
        using var refs = new HandleRefs(40);
        var descs = stackalloc LinearDesc[7];
        for (var i = 0; i < 7; i++)
        {
            var p = projections[i];
            descs[i] = new LinearDesc
            {
                Weight = refs.Add(p.Weight), Bias = refs.Add(p.Bias),
                LoraA = refs.Add(p.LoraA), LoraB = refs.Add(p.LoraB), LoraScale = p.LoraScale,
            };
        }
        double seconds = 0;
        var status = cs_llama_decode_layer(refs.Add(hidden), refs.Add(inputNorm), refs.Add(postNorm), eps, descs,
            refs.Add(qNorm), refs.Add(kNorm), refs.Add(cos), refs.Add(sin), refs.Add(keyCache), refs.Add(valueCache),
            slot, refs.Add(keyPadding), heads, kvHeads, oneSequence ? 1 : 0, OpStatistics.Timing ? &seconds : null);
        Check(status);
        OpStatistics.CountFusedCall(seconds);
    }

    /// <summary>Raw handles kept alive (ref-counted) for the duration of one native call.</summary>
    private sealed class HandleRefs(int capacity) : IDisposable
    {
        private readonly List<TensorHandle> added = new(capacity);

        public IntPtr Add(Tensor? tensor)
        {
            if (tensor is null) return IntPtr.Zero;
            var ok = false;
            tensor.Handle.DangerousAddRef(ref ok);
            added.Add(tensor.Handle);
            return tensor.Handle.DangerousGetHandle();
        }

        public void Dispose()
        {
            foreach (var handle in added) handle.DangerousRelease();
        }
    }
}
