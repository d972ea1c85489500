namespace ChatPlatform.Web.RequestLogs;

/// <summary>The "RequestLogs" section: what the one log event per /v1 and widget request holds.</summary>
public sealed class RequestLogOptions
{
    public const string Section = "RequestLogs";

    /// <summary>
    /// Adds the prompt (as the model saw it, retrieved sources included) and the answer to each event. Off by default:
    /// customers' messages are personal data, and logs are kept and copied more freely than the database.
    /// </summary>
    public bool IncludeMessageContents { get; set; }
}
