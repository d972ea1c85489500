namespace ChatPlatform.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A module: named parameters and child modules, a training flag, device/dtype moves. Parameters are owned
        /// by the module (never by a dispose scope) and freed when it is disposed.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly Dictionary<string, Tensor> ownParameters = new();
            private readonly Dictionary<string, Module> modules = new();

            public bool training { get; private set; } = true;

            /// <summary>Registers a parameter under <paramref name="name"/>, taking ownership of it.</summary>
            protected Tensor register_parameter(string name, Tensor parameter, bool requiresGrad = true)
            {
                if (name.Contains('.')) throw new ArgumentException($"parameter name '{name}' may not contain '.'", nameof(name));
                if (!ownParameters.TryAdd(name, parameter)) throw new ArgumentException($"parameter '{name}' is already registered");
                parameter.LeaveDisposeScope();
                parameter.requires_grad = requiresGrad;
                return parameter;
            }

            protected T register_module<T>(string name, T module) where T : Module
            {
                if (name.Contains('.')) throw new ArgumentException($"module name '{name}' may not contain '.'", nameof(name));
                if (!modules.TryAdd(name, module)) throw new ArgumentException($"module '{name}' is already registered");
                return module;
            }

            /// <summary>
            /// Swaps the child registered as <paramref name="name"/> for another (how adapters wrap a layer) and
            /// returns the old one, which the caller now owns.
            /// </summary>
            public Module replace_module(string name, Module replacement)
            {
                if (!modules.TryGetValue(name, out var old)) throw new ArgumentException($"no child module '{name}'");
                modules[name] = replacement;
                return old;
            }

            public Module? get_module(string name) => modules.GetValueOrDefault(name);

            /// <summary>Every parameter with its dotted path (e.g. "layers.0.self_attn.q_proj.weight").</summary>
            public IEnumerable<(string name, Tensor parameter)> named_parameters(string prefix = "")
            {
                foreach (var (name, p) in ownParameters) yield return (prefix + name, p);
                foreach (var (name, m) in modules)
                    foreach (var item in m.named_parameters(prefix + name + "."))
                        yield return item;
            }

            public IEnumerable<Tensor> parameters() => named_parameters().Select(p => p.parameter);

            /// <summary>The parameters that will be trained (requires_grad).</summary>
            public IEnumerable<Tensor> trainable_parameters() => parameters().Where(p => p.requires_grad);

            public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
            {
                foreach (var (name, m) in modules)
                {
                    yield return (prefix + name, m);
                    foreach (var item in m.named_modules(prefix + name + ".")) yield return item;
                }
            }

            public virtual Module train(bool mode = true)
            {
                training = mode;
                foreach (var m in modules.Values) m.train(mode);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves/casts every parameter in place (identity kept, as PyTorch's Module.to).</summary>
            public Module to(Device device, ScalarType? dtype = null)
            {
                foreach (var (_, p) in named_parameters())
                {
                    var type = dtype is { } t && p.dtype.IsFloatingPoint() ? t : p.dtype;
                    using var moved = p.to(type, device);
                    p.set_data(moved);
                }
                return this;
            }

            public Module to(ScalarType dtype)
            {
                foreach (var (_, p) in named_parameters())
                {
                    if (!p.dtype.IsFloatingPoint()) continue;
                    using var cast = p.to(dtype);
                    p.set_data(cast);
                }
                return this;
            }

            public virtual void Dispose()
            {
                foreach (var p in ownParameters.Values) p.Dispose();
                foreach (var m in modules.Values) m.Dispose();
                ownParameters.Clear();
                modules.Clear();
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>A module with one forward function, so layers can be swapped for wrappers of the same shape.</summary>
        public abstract class Module<T, TResult> : Module
        {
            public abstract TResult forward(T input);
        }

        /// <summary>An indexed list of child modules, registered as "0", "1", ... (PyTorch's ModuleList).</summary>
        public sealed class ModuleList<T> : Module where T : Module
        {
            private readonly List<T> items = [];

            public ModuleList(IEnumerable<T> modules)
            {
                foreach (var m in modules) items.Add(register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
            }

            public int Count => items.Count;

            public T this[int index] => items[index];
        }
    }
}
