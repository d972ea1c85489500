using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public enum Reduction
        {
            None = 0,
            Mean = 1,
            Sum = 2,
        }

        /// <summary>torch.nn.functional.</summary>
        public static class functional
        {
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                var start = OpStatistics.MatmulStart();
                var status = cs_linear(input.Handle, weight.Handle, bias?.Handle ?? TensorHandle.Null, out var h);
                OpStatistics.MatmulEnd(start);
                return Tensor.Wrap(status, h);
            }

            /// <summary>
            /// RMSNorm (Zhang &amp; Sennrich 2019) over the last dimension: x / √(mean(x²) + ε) · weight, in one native
            /// call. Half-precision inputs are normalised in float32, as transformers' LlamaRMSNorm does.
            /// </summary>
            public static Tensor rms_norm(Tensor input, Tensor weight, double eps) =>
                Tensor.Wrap(cs_rms_norm(input.Handle, weight.Handle, eps, out var h), h);

            /// <summary>
            /// Rotary position embedding (Su et al., RoFormer) in transformers' rotate-half layout:
            /// x·cos + (−x₂, x₁)·sin over the two halves of the last dimension, in one native call.
            /// </summary>
            public static Tensor rotary_embedding(Tensor x, Tensor cos, Tensor sin) =>
                Tensor.Wrap(cs_rotary_apply(x.Handle, cos.Handle, sin.Handle, out var h), h);

            /// <summary>(B, T, H·D) → (B, H, T, D): the per-head layout attention works in (a view, no copy).</summary>
            public static Tensor split_heads(Tensor x, long heads) => Tensor.Wrap(cs_split_heads(x.Handle, heads, out var h), h);

            /// <summary>(B, H, T, D) → (B, T, H·D): heads back side by side.</summary>
            public static Tensor merge_heads(Tensor x) => Tensor.Wrap(cs_merge_heads(x.Handle, out var h), h);

            public static Tensor embedding(Tensor indices, Tensor weight) =>
                Tensor.Wrap(cs_embedding(weight.Handle, indices.Handle, out var h), h);

            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) =>
                Tensor.Wrap(cs_softmax(input.Handle, dim, dtype.HasValue ? (int)dtype.Value : -1, out var h), h);

            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) =>
                Tensor.Wrap(cs_log_softmax(input.Handle, dim, dtype.HasValue ? (int)dtype.Value : -1, out var h), h);

            public static Tensor silu(Tensor input) => input.silu();

            public static Tensor relu(Tensor input) => input.relu();

            /// <summary>GELU; <paramref name="tanhApproximation"/> selects the tanh form ("gelu_new" / "gelu_pytorch_tanh").</summary>
            public static Tensor gelu(Tensor input, bool tanhApproximation = false) =>
                Tensor.Wrap(cs_gelu(input.Handle, tanhApproximation ? 1 : 0, out var h), h);

            public static Tensor layer_norm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null,
                double eps = 1e-5) =>
                Tensor.Wrap(cs_layer_norm(input.Handle, normalizedShape, normalizedShape.Length,
                    weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null, eps, out var h), h);

            /// <summary>Cross-entropy over logits (N, C) and int64 targets (N); targets equal to ignoreIndex add nothing.</summary>
            public static Tensor cross_entropy(Tensor logits, Tensor targets, long ignoreIndex = -100,
                Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0) =>
                Tensor.Wrap(cs_cross_entropy(logits.Handle, targets.Handle, (long)reduction, ignoreIndex, labelSmoothing, out var h), h);

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                Tensor.Wrap(cs_dropout(input.Handle, p, training ? 1 : 0, out var h), h);

            /// <summary>
            /// softmax(q kᵀ · scale + mask) v over (..., L, E) queries and (..., S, E) keys. A bool mask is true where
            /// attention is allowed; a float mask is added to the scores. <paramref name="scale"/> null = 1/√E.
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null,
                double dropoutP = 0.0, bool isCausal = false, double? scale = null)
            {
                var start = OpStatistics.MatmulStart();
                var status = cs_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle,
                    attnMask?.Handle ?? TensorHandle.Null, dropoutP, isCausal ? 1 : 0, scale ?? 0.0, out var h);
                OpStatistics.MatmulEnd(start);
                return Tensor.Wrap(status, h);
            }
        }
    }
}
