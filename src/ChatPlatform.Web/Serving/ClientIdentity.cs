using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Who a request comes from, for fairness and rate limits: its API key once <see cref="ApiKeyAuthentication"/> has
/// accepted it (as a short hash, so keys never appear in logs or limiter partitions), else the client's IP address.
/// </summary>
public static class ClientIdentity
{
    private const string ItemKey = "chatplatform.client";

    public static string Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var v) && v is string key ? key
        : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    internal static void SetApiKey(HttpContext http, string apiKey) =>
        http.Items[ItemKey] = "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)).AsSpan(0, 6));
}
