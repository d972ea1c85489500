namespace ChatPlatform.Torch.Tests;

/// <summary>A two-layer network for lifetime, memory and concurrency tests.</summary>
internal sealed class TinyMlp : torch.nn.Module
{
    public readonly torch.nn.Linear fc1;
    public readonly torch.nn.Linear fc2;

    public TinyMlp(int input, int hidden, int output, long seed)
    {
        using var g = new Generator(seed);
        fc1 = register_module("fc1", new torch.nn.Linear(input, hidden, generator: g));
        fc2 = register_module("fc2", new torch.nn.Linear(hidden, output, generator: g));
    }

    public Tensor forward(Tensor x) => fc2.forward(fc1.forward(x).silu());
}
