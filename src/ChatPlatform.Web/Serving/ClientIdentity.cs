using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Who a request comes from, for fairness, rate limits and logs: its API key once <see cref="ApiKeyAuthentication"/>
/// has accepted it (a configured key as a short hash, a managed key by its id, so keys never appear in logs or limiter
/// partitions), else the client's IP address.
/// </summary>
public static class ClientIdentity
{
    private const string ItemKey = "chatplatform.client";

    public static string Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var v) && v is string key ? key
        : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    internal static void SetApiKey(HttpContext http, string apiKey) =>
        http.Items[ItemKey] = "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)).AsSpan(0, 6));

    /// <summary>A key from the admin console's API keys page: "apikey:ID" (its row in the ApiKeys table).</summary>
    internal static void SetManagedKey(HttpContext http, long id) => http.Items[ItemKey] = $"apikey:{id}";
}
