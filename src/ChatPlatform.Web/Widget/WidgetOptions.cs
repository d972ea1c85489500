using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// The "Widget" section: the sites allowed to embed the customer chat widget and the limits that protect the model
/// from them. Bound once at start-up and validated there (<see cref="WidgetOptionsValidator"/>).
/// </summary>
public sealed class WidgetOptions
{
    public const string Section = "Widget";

    public List<WidgetSite> Sites { get; set; } = [];
    /// <summary>The site whose widget the public landing page embeds; the first site when unset.</summary>
    public string? LandingSiteKey { get; set; }
    /// <summary>Longest customer message accepted, in characters (longer is a 413).</summary>
    public int MaxMessageChars { get; set; } = 2000;
    /// <summary>Longest correction accepted with feedback, in characters.</summary>
    public int MaxCorrectionChars { get; set; } = 4000;
    /// <summary>Messages (questions and answers) one conversation may hold; a question past it is refused with a 400.</summary>
    public int MaxSessionMessages { get; set; } = 40;
    /// <summary>Requests (new conversations, questions, feedback) per minute for one site key, all visitors together; 0 is no limit.</summary>
    public int RequestsPerMinutePerKey { get; set; } = 120;
    /// <summary>Requests per minute from one client IP address; 0 is no limit.</summary>
    public int RequestsPerMinutePerIp { get; set; } = 20;
    /// <summary>Most tokens an answer may take (at most a quarter of the model's context window is reserved).</summary>
    public int MaxAnswerTokens { get; set; } = 256;
    /// <summary>Retrieved passages offered to the model per question.</summary>
    public int TopK { get; set; } = 4;
    public string SystemPrompt { get; set; } =
        "You are the support assistant on this website. Answer briefly and only from the reference material; cite sources as [n]. " +
        "If the material does not answer the question, say so.";

    public WidgetSite? Site(string? key) => key is null ? null : Sites.FirstOrDefault(s => s.Key == key);

    public WidgetSite? LandingSite => LandingSiteKey is { } key ? Site(key) : Sites.FirstOrDefault();
}

/// <summary>One website that embeds the widget: its public key, the origins its pages are served from and its look.</summary>
public sealed class WidgetSite
{
    /// <summary>Public (it is in the page's HTML); it selects settings and limits, it is not a secret.</summary>
    public string Key { get; set; } = "";
    /// <summary>Origins ("https://www.example.com") whose pages may call the API; this server's own origin always may.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
    public string BrandColor { get; set; } = "#2f6fed";
    public string Greeting { get; set; } = "Hi! Ask me anything about our products and services.";
    public string Title { get; set; } = "Support";

    public bool Allows(string origin) => AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Start-up checks of the "Widget" section; each failure names its configuration key.</summary>
internal sealed partial class WidgetOptionsValidator : IValidateOptions<WidgetOptions>
{
    public ValidateOptionsResult Validate(string? name, WidgetOptions o)
    {
        var errors = new List<string>();
        const string s = WidgetOptions.Section;
        for (var i = 0; i < o.Sites.Count; i++)
        {
            var site = o.Sites[i];
            var at = $"{s}:Sites:{i}";
            if (string.IsNullOrWhiteSpace(site.Key)) errors.Add($"{at}:Key: must not be empty");
            else if (o.Sites.Take(i).Any(x => x.Key == site.Key)) errors.Add($"{at}:Key: '{site.Key}' is used by an earlier site");
            if (!HexColor().IsMatch(site.BrandColor)) errors.Add($"{at}:BrandColor: '{site.BrandColor}' is not a colour like #2f6fed");
            for (var j = 0; j < site.AllowedOrigins.Count; j++)
            {
                var origin = site.AllowedOrigins[j];
                if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                    errors.Add($"{at}:AllowedOrigins:{j}: '{origin}' is not an origin like https://www.example.com");
            }
        }
        if (o.LandingSiteKey is { } landing && o.Site(landing) is null) errors.Add($"{s}:LandingSiteKey: no site has the key '{landing}'");
        Positive(errors, "MaxMessageChars", o.MaxMessageChars);
        Positive(errors, "MaxCorrectionChars", o.MaxCorrectionChars);
        if (o.MaxSessionMessages < 2) errors.Add($"{s}:MaxSessionMessages: must be at least 2, not {o.MaxSessionMessages}");
        if (o.RequestsPerMinutePerKey < 0) errors.Add($"{s}:RequestsPerMinutePerKey: must be 0 (off) or more, not {o.RequestsPerMinutePerKey}");
        if (o.RequestsPerMinutePerIp < 0) errors.Add($"{s}:RequestsPerMinutePerIp: must be 0 (off) or more, not {o.RequestsPerMinutePerIp}");
        Positive(errors, "MaxAnswerTokens", o.MaxAnswerTokens);
        Positive(errors, "TopK", o.TopK);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value < 1) errors.Add($"{WidgetOptions.Section}:{key}: must be at least 1, not {value}");
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}
