using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Start-up checks of the "Serving" section; each failure names its configuration key. Serving:Model is required only
/// where nothing else can name a model (`chatplatform serve`); the full app can serve an activated version instead.
/// </summary>
internal sealed class ServingOptionsValidator(bool requireModel) : IValidateOptions<ServingOptions>
{
    public ValidateOptionsResult Validate(string? name, ServingOptions o)
    {
        var errors = new List<string>();
        const string s = ServingOptions.Section;
        if (string.IsNullOrWhiteSpace(o.Model))
        {
            if (requireModel) errors.Add($"{s}:Model: the chat model folder is required (--model DIR)");
            if (o.Adapter is not null) errors.Add($"{s}:Adapter: an adapter needs its base model (Serving:Model)");
        }
        else if (!Directory.Exists(o.Model)) errors.Add($"{s}:Model: folder '{o.Model}' does not exist");
        if (o.Adapter is not null && !Directory.Exists(o.Adapter)) errors.Add($"{s}:Adapter: folder '{o.Adapter}' does not exist");
        if (o.EmbeddingModel is not null && !Directory.Exists(o.EmbeddingModel))
            errors.Add($"{s}:EmbeddingModel: folder '{o.EmbeddingModel}' does not exist");
        if (o.ModelName is { } id && string.IsNullOrWhiteSpace(id)) errors.Add($"{s}:ModelName: must not be blank");
        try
        {
            _ = o.ParsedDevice;
        }
        catch (FormatException e)
        {
            errors.Add($"{s}:Device: {e.Message}");
        }
        if (o.ApiKeys.Any(string.IsNullOrWhiteSpace)) errors.Add($"{s}:ApiKeys: keys must not be blank");
        if (o.MaxConcurrentRequests < 1) errors.Add($"{s}:MaxConcurrentRequests: must be at least 1, not {o.MaxConcurrentRequests}");
        if (o.MaxQueueLength < 0) errors.Add($"{s}:MaxQueueLength: must be 0 or more, not {o.MaxQueueLength}");
        if (o.RequestTimeoutSeconds < 1) errors.Add($"{s}:RequestTimeoutSeconds: must be at least 1, not {o.RequestTimeoutSeconds}");
        if (o.PromptCacheMegabytes < 0) errors.Add($"{s}:PromptCacheMegabytes: must be 0 (off) or more, not {o.PromptCacheMegabytes}");
        if (o.RequestsPerMinute < 0) errors.Add($"{s}:RequestsPerMinute: must be 0 (off) or more, not {o.RequestsPerMinute}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
