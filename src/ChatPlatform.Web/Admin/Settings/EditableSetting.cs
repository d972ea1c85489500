namespace ChatPlatform.Web.Admin.Settings;

/// <summary>How the Settings page edits a value.</summary>
public enum SettingKind
{
    Text,
    /// <summary>Write-only: the page never shows it back, only whether it is set; blank input keeps the stored value.</summary>
    Secret,
    WholeNumber,
    /// <summary>One of <see cref="EditableSetting.Choices"/>.</summary>
    Choice,
    /// <summary>A list, edited one entry per line, stored as Key:0, Key:1, ...</summary>
    Lines,
}

/// <summary>
/// One setting the Settings page edits: its configuration key, what it is, and whether a change applies to the running
/// app (read through IOptionsMonitor or at each use) or needs a restart (read once at start-up).
/// </summary>
public sealed record EditableSetting(string Key, string Label, SettingKind Kind, bool Live, string Help, string[]? Choices = null)
{
    /// <summary>The page element id for the setting's input: the key with ':' as '-'.</summary>
    public string InputId => "setting-" + Key.Replace(':', '-').ToLowerInvariant();
}

/// <summary>The settings admins edit, in the order the page shows them.</summary>
public static class EditableSettings
{
    public static readonly IReadOnlyList<EditableSetting> All =
    [
        new("Platform:BaseModel", "Base model for Retrain", SettingKind.Text, Live: true,
            "A Hugging Face model folder (config.json, *.safetensors, tokenizer.json); Serving:Model when unset. Used by the next Retrain."),
        new("Serving:Model", "Served chat model", SettingKind.Text, Live: false, "The model folder the widget and /v1 API answer with."),
        new("Serving:Device", "Device", SettingKind.Text, Live: false, "cpu, cuda or cuda:N."),
        new("Rag:VectorStore", "Vector store", SettingKind.Choice, Live: false, "Where chunk embeddings are kept; BM25 always runs on SQLite FTS5.",
            ["embedded", "qdrant"]),
        new("Rag:Qdrant:Url", "Qdrant URL", SettingKind.Text, Live: false, "e.g. http://localhost:6333 (with Rag:VectorStore = qdrant)."),
        new("Rag:Qdrant:Collection", "Qdrant collection", SettingKind.Text, Live: false, "The collection that holds the chunk vectors."),
        new("Rag:Qdrant:ApiKey", "Qdrant API key", SettingKind.Secret, Live: false, "Sent as the api-key header; never shown here."),
        new("Teacher:BaseUrl", "Teacher endpoint", SettingKind.Text, Live: true,
            "An OpenAI-compatible base URL (e.g. http://localhost:11434/v1) that writes Q&A examples from documents."),
        new("Teacher:Model", "Teacher model", SettingKind.Text, Live: true, "The model name the teacher endpoint serves."),
        new("Teacher:ApiKey", "Teacher API key", SettingKind.Secret, Live: true, "Bearer key for the teacher; any value for a local server."),
        new("Widget:Sites:0:Key", "Widget site key", SettingKind.Text, Live: false, "The public key of the first widget site."),
        new("Widget:Sites:0:AllowedOrigins", "Widget origins", SettingKind.Lines, Live: false,
            "Origins (https://www.example.com) whose pages may embed the widget, one per line."),
        new("Widget:RequestsPerMinutePerKey", "Widget requests per minute per site", SettingKind.WholeNumber, Live: false, "0 is no limit."),
        new("Widget:RequestsPerMinutePerIp", "Widget requests per minute per IP", SettingKind.WholeNumber, Live: false, "0 is no limit."),
        new("Serving:RequestsPerMinute", "API requests per minute per client", SettingKind.WholeNumber, Live: false, "0 turns rate limiting off."),
        new("Admin:LoginAttemptsPerMinute", "Sign-in attempts per minute per IP", SettingKind.WholeNumber, Live: false, "At least 1."),
        new("Threads:Training", "Training threads", SettingKind.WholeNumber, Live: true,
            "libtorch intra-op threads of a training or pretraining job (applies to the next job)."),
        new("Threads:Inference", "Inference threads", SettingKind.WholeNumber, Live: false, "libtorch intra-op threads of the serving thread."),
    ];

    public static EditableSetting? Find(string key) => All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
}
