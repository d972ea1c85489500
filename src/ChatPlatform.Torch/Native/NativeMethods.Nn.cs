using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_nn.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_linear(TensorHandle input, TensorHandle weight, TensorHandle bias, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_rms_norm(TensorHandle input, TensorHandle weight, double eps, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_rotary_apply(TensorHandle x, TensorHandle cos, TensorHandle sin, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_split_heads(TensorHandle x, long heads, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_merge_heads(TensorHandle x, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_embedding(TensorHandle weight, TensorHandle indices, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_softmax(TensorHandle a, long dim, int dtype, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_log_softmax(TensorHandle a, long dim, int dtype, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_gelu(TensorHandle a, int tanhApproximation, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_layer_norm(TensorHandle input, ReadOnlySpan<long> normalizedShape, int ndim, TensorHandle weight, TensorHandle bias, double eps, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_cross_entropy(TensorHandle logits, TensorHandle targets, long reduction, long ignoreIndex, double labelSmoothing, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_dropout(TensorHandle a, double p, int train, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_scaled_dot_product_attention(TensorHandle q, TensorHandle k, TensorHandle v, TensorHandle attnMask, double dropoutP, int isCausal, double scale, out TensorHandle @out);
}
