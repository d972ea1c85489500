using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Web.OpenAi;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Bearer API keys on /v1: the keys in Serving:ApiKeys and, in the full app, the active keys created in the admin
/// console (<see cref="ManagedApiKeys"/>). With any key in force, a request without a known key gets 401 in OpenAI's
/// error shape. Runs before rate limiting, so unauthenticated requests cannot use up a client's allowance.
/// </summary>
internal sealed class ApiKeyAuthentication(RequestDelegate next, IOptions<ServingOptions> options, IServiceProvider services)
{
    // Hashes make every comparison the same length, so FixedTimeEquals leaks neither content nor length.
    private readonly byte[][] keyHashes = options.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();
    // Registered by the admin console (it owns the database); `chatplatform serve` has configured keys only.
    private readonly ManagedApiKeys? managed = services.GetService<ManagedApiKeys>();

    public async Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments("/v1") || !await AnyKeyAsync(http.RequestAborted))
        {
            await next(http);
            return;
        }
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            await Reject(http, "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'.");
            return;
        }
        var key = header[scheme.Length..].Trim();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var configured = false;
        foreach (var h in keyHashes) configured |= CryptographicOperations.FixedTimeEquals(h, hash);
        if (configured)
        {
            ClientIdentity.SetApiKey(http, key);
        }
        else if (managed is not null && await managed.FindActiveAsync(Convert.ToHexStringLower(hash), http.RequestAborted) is { } id)
        {
            ClientIdentity.SetManagedKey(http, id);
            await managed.RecordUseAsync(id, http.RequestAborted);
        }
        else
        {
            await Reject(http, "Incorrect API key provided.");
            return;
        }
        await next(http);
    }

    private async ValueTask<bool> AnyKeyAsync(CancellationToken ct) =>
        keyHashes.Length > 0 || (managed is not null && await managed.AnyActiveAsync(ct));

    private static Task Reject(HttpContext http, string message) =>
        OpenAiError.Of(StatusCodes.Status401Unauthorized, message, "invalid_request_error", code: "invalid_api_key").ExecuteAsync(http);
}
