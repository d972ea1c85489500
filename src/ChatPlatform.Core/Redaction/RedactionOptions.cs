namespace ChatPlatform.Core.Redaction;

/// <summary>
/// What PII redaction does, per deployment (appsettings section "Redaction"). Every detector is on by default;
/// <see cref="CustomPatterns"/> adds named regular expressions (order or account numbers: <c>"ORDER": "PW-ORD-\\d{6}"</c>)
/// whose matches become <c>[NAME]</c>; <see cref="Placeholders"/> overrides the text that replaces a kind
/// (<c>"EMAIL": "&lt;email&gt;"</c>).
/// </summary>
public sealed record RedactionOptions
{
    public const string Section = "Redaction";

    public bool Enabled { get; init; } = true;
    public bool Emails { get; init; } = true;
    public bool Phones { get; init; } = true;
    public bool PaymentCards { get; init; } = true;
    public bool Ibans { get; init; } = true;
    public bool IpAddresses { get; init; } = true;
    public bool PostalAddresses { get; init; } = true;
    /// <summary>The customer's and the agent's names when the record carries them (whole words, any case, first name alone too).</summary>
    public bool Names { get; init; } = true;
    public Dictionary<string, string> CustomPatterns { get; init; } = [];
    public Dictionary<string, string> Placeholders { get; init; } = [];
}

/// <summary>The kinds of PII and their default placeholders.</summary>
public static class PiiKind
{
    public const string Email = "EMAIL", Phone = "PHONE", Card = "CARD", Iban = "IBAN", Ip = "IP", Address = "ADDRESS",
        CustomerName = "CUSTOMER_NAME", AgentName = "AGENT_NAME";
}
