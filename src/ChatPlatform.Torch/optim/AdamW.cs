namespace ChatPlatform.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization"), as torch.optim.AdamW without amsgrad:
        /// p ← p·(1 − lr·λ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
        /// The state (step count and both moments per parameter) can be read out and restored to resume a run.
        /// </summary>
        public sealed class AdamW : IDisposable
        {
            private readonly IReadOnlyList<Tensor> parameters;
            private readonly bool[] decays;
            private readonly ParameterState?[] state;

            public double LearningRate { get; set; }
            public double Beta1 { get; }
            public double Beta2 { get; }
            public double Eps { get; }
            public double WeightDecay { get; }

            /// <param name="noWeightDecay">Parameters exempt from weight decay (by convention norms and biases).</param>
            public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0.01, IEnumerable<Tensor>? noWeightDecay = null)
            {
                this.parameters = parameters.ToList();
                var exempt = new HashSet<Tensor>(noWeightDecay ?? [], ReferenceEqualityComparer.Instance);
                decays = this.parameters.Select(p => !exempt.Contains(p)).ToArray();
                if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
                if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
                if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
                if (eps <= 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be > 0");
                if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be >= 0");
                state = new ParameterState?[this.parameters.Count];
                LearningRate = lr;
                Beta1 = beta1;
                Beta2 = beta2;
                Eps = eps;
                WeightDecay = weightDecay;
            }

            public IReadOnlyList<Tensor> Parameters => parameters;

            public void zero_grad()
            {
                foreach (var p in parameters) p.clear_grad();
            }

            public void step()
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                for (var i = 0; i < parameters.Count; i++)
                {
                    var p = parameters[i];
                    var g = p.grad;
                    if (g is null) continue;
                    var s = state[i] ??= new ParameterState(scope.Detach(zeros_like(p)), scope.Detach(zeros_like(p)));
                    s.Step++;
                    if (WeightDecay != 0 && decays[i]) p.mul_(1 - LearningRate * WeightDecay);
                    s.ExpAvg.lerp_(g, 1 - Beta1);
                    s.ExpAvgSq.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
                    var biasCorrection1 = 1 - Math.Pow(Beta1, s.Step);
                    var biasCorrection2 = 1 - Math.Pow(Beta2, s.Step);
                    var denom = (s.ExpAvgSq.sqrt() / Math.Sqrt(biasCorrection2)).add_(Eps);
                    p.addcdiv_(s.ExpAvg, denom, -LearningRate / biasCorrection1);
                }
            }

            /// <summary>
            /// The state for checkpointing: per parameter index, its step count and moments (null before its first step).
            /// The tensors are copies owned by the caller.
            /// </summary>
            public AdamWState state_dict()
            {
                var entries = new AdamWState.Entry?[state.Length];
                for (var i = 0; i < state.Length; i++)
                {
                    if (state[i] is not { } s) continue;
                    var m = s.ExpAvg.clone();
                    var v = s.ExpAvgSq.clone();
                    entries[i] = new AdamWState.Entry(s.Step, m.LeaveDisposeScope(), v.LeaveDisposeScope());
                }
                return new AdamWState(entries, LearningRate);
            }

            /// <summary>Restores a state made by <see cref="state_dict"/> for the same parameter list (copied in).</summary>
            public void load_state_dict(AdamWState saved)
            {
                if (saved.Entries.Count != parameters.Count)
                    throw new ArgumentException($"optimizer state has {saved.Entries.Count} parameters, this optimizer has {parameters.Count}");
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                for (var i = 0; i < parameters.Count; i++)
                {
                    state[i]?.Dispose();
                    state[i] = null;
                    if (saved.Entries[i] is not { } e) continue;
                    var p = parameters[i];
                    if (!e.ExpAvg.shape.SequenceEqual(p.shape))
                        throw new ArgumentException($"optimizer state for parameter {i} has shape [{string.Join(", ", e.ExpAvg.shape)}], the parameter [{string.Join(", ", p.shape)}]");
                    state[i] = new ParameterState(scope.Detach(e.ExpAvg.to(p.dtype, p.device).clone()),
                        scope.Detach(e.ExpAvgSq.to(p.dtype, p.device).clone())) { Step = e.Step };
                }
                LearningRate = saved.LearningRate;
            }

            public void Dispose()
            {
                foreach (var s in state) s?.Dispose();
            }

            private sealed class ParameterState(Tensor expAvg, Tensor expAvgSq) : IDisposable
            {
                public long Step;
                public Tensor ExpAvg { get; } = expAvg;
                public Tensor ExpAvgSq { get; } = expAvgSq;

                public void Dispose()
                {
                    ExpAvg.Dispose();
                    ExpAvgSq.Dispose();
                }
            }
        }
    }
}

/// <summary>A snapshot of AdamW's state, owned by whoever holds it (dispose to free the tensors).</summary>
public sealed record AdamWState(IReadOnlyList<AdamWState.Entry?> Entries, double LearningRate) : IDisposable
{
    public sealed record Entry(long Step, Tensor ExpAvg, Tensor ExpAvgSq);

    public void Dispose()
    {
        foreach (var e in Entries)
        {
            e?.ExpAvg.Dispose();
            e?.ExpAvgSq.Dispose();
        }
    }
}
