using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>
/// A named container with no forward of its own: transformers nests BERT's layers (attention.self.query,
/// attention.output.dense, intermediate.dense, ...), and registering them the same way keeps named_parameters()
/// identical to the checkpoint's names.
/// </summary>
internal sealed class ModuleGroup : torch.nn.Module
{
    public ModuleGroup Add(string name, torch.nn.Module module)
    {
        register_module(name, module);
        return this;
    }
}
