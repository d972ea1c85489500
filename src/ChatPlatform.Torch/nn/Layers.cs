namespace ChatPlatform.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>y = x Wᵀ + b, with W (out, in). Initialised as PyTorch's nn.Linear: U(-1/√in, 1/√in).</summary>
        public sealed class Linear : Module<Tensor, Tensor>
        {
            public Tensor weight { get; }
            public Tensor? bias { get; }

            /// <summary>A layer over given tensors (e.g. loaded from a checkpoint); it takes ownership of them.</summary>
            public Linear(Tensor weight, Tensor? bias = null, bool requiresGrad = true)
            {
                this.weight = register_parameter("weight", weight, requiresGrad);
                if (bias is not null) this.bias = register_parameter("bias", bias, requiresGrad);
            }

            public Linear(long inFeatures, long outFeatures, bool hasBias = true, ScalarType dtype = float32, Device? device = null,
                Generator? generator = null)
            {
                var bound = 1.0 / Math.Sqrt(inFeatures);
                weight = register_parameter("weight", empty([outFeatures, inFeatures], dtype, device).uniform_(-bound, bound, generator));
                if (hasBias)
                    bias = register_parameter("bias", empty([outFeatures], dtype, device).uniform_(-bound, bound, generator));
            }

            public override Tensor forward(Tensor input) => functional.linear(input, weight, bias);
        }

        /// <summary>A lookup table of (count, dim) vectors, initialised N(0, 1) as PyTorch's nn.Embedding.</summary>
        public sealed class Embedding : Module
        {
            public Tensor weight { get; }

            /// <summary>A table over a given tensor (e.g. loaded from a checkpoint); it takes ownership of it.</summary>
            public Embedding(Tensor weight, bool requiresGrad = true)
            {
                this.weight = register_parameter("weight", weight, requiresGrad);
            }

            public Embedding(long count, long dim, ScalarType dtype = float32, Device? device = null, Generator? generator = null)
            {
                weight = register_parameter("weight", empty([count, dim], dtype, device).normal_(0, 1, generator));
            }

            public Tensor forward(Tensor indices) => functional.embedding(indices, weight);
        }

        /// <summary>Layer normalisation over the last dimension with learnable scale and shift.</summary>
        public sealed class LayerNorm : Module
        {
            private readonly long[] normalizedShape;
            public double eps { get; }
            public Tensor weight { get; }
            public Tensor bias { get; }

            public LayerNorm(long dim, double eps = 1e-5, ScalarType dtype = float32, Device? device = null)
            {
                normalizedShape = [dim];
                this.eps = eps;
                weight = register_parameter("weight", ones([dim], dtype, device));
                bias = register_parameter("bias", zeros([dim], dtype, device));
            }

            public Tensor forward(Tensor input) => functional.layer_norm(input, normalizedShape, weight, bias, eps);
        }

        public static class utils
        {
            /// <summary>
            /// Scales gradients so their global L2 norm is at most <paramref name="maxNorm"/> (PyTorch's
            /// clip_grad_norm_); returns the norm before clipping. Parameters without a gradient are skipped.
            /// </summary>
            public static double clip_grad_norm_(IEnumerable<Tensor> parameters, double maxNorm)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
                if (grads.Count == 0) return 0.0;
                var norms = grads.Select(g => g.norm(2.0).to(float32)).ToList();
                var total = stack(norms).norm(2.0).ToDouble();
                var coef = maxNorm / (total + 1e-6);
                if (coef < 1.0)
                    foreach (var g in grads) g.mul_(coef);
                return total;
            }
        }
    }
}
