using ChatPlatform.Core.Teacher;

namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// The "Teacher" section: the OpenAI-compatible endpoint that writes question/answer examples from documents (example
/// generation jobs). Read at each job (IOptionsMonitor), so an edit applies to the next one.
/// </summary>
public sealed class TeacherSettings
{
    public const string Section = "Teacher";

    public string? BaseUrl { get; set; }
    public string? Model { get; set; }
    public string? ApiKey { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>Core's teacher options (validated), or an <see cref="ArgumentException"/> naming the Teacher:* key that is wrong.</summary>
    public TeacherOptions ToOptions()
    {
        if (string.IsNullOrWhiteSpace(BaseUrl)) throw new ArgumentException($"{Section}:BaseUrl: no teacher endpoint is configured");
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{Section}:BaseUrl: '{BaseUrl}' is not an absolute http(s) URL");
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException($"{Section}:Model: the teacher's model name is required with {Section}:BaseUrl");
        // Local servers accept any key; a placeholder keeps Core's "key required" check for remote ones meaningful.
        var options = new TeacherOptions(BaseUrl, Model, string.IsNullOrEmpty(ApiKey) ? "none" : ApiKey);
        options.Validate();
        return options;
    }
}
