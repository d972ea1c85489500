using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Web.OpenAi;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Bearer API keys on /v1: with keys configured, a request without a known key gets 401 in OpenAI's error shape.
/// Runs before rate limiting, so unauthenticated requests cannot use up a client's allowance.
/// </summary>
internal sealed class ApiKeyAuthentication(RequestDelegate next, IOptions<ServingOptions> options)
{
    // Hashes make every comparison the same length, so FixedTimeEquals leaks neither content nor length.
    private readonly byte[][] keyHashes = options.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    public Task InvokeAsync(HttpContext http)
    {
        if (keyHashes.Length == 0 || !http.Request.Path.StartsWithSegments("/v1")) return next(http);
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return Reject(http, "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'.");
        var key = header[scheme.Length..].Trim();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var known = false;
        foreach (var h in keyHashes) known |= CryptographicOperations.FixedTimeEquals(h, hash);
        if (!known) return Reject(http, "Incorrect API key provided.");
        ClientIdentity.SetApiKey(http, key);
        return next(http);
    }

    private static Task Reject(HttpContext http, string message) =>
        OpenAiError.Of(StatusCodes.Status401Unauthorized, message, "invalid_request_error", code: "invalid_api_key").ExecuteAsync(http);
}
