using System.Globalization;
using System.Threading.RateLimiting;
using ChatPlatform.Web.OpenAi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>Per-client request limits on /v1 (ASP.NET Core's rate limiter): a fixed one-minute window per API key or IP.</summary>
internal static class ServingRateLimits
{
    public const string Policy = "per-client";

    public static IServiceCollection AddServingRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var limit = PerMinute(http);
                return limit == 0
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientIdentity.Of(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await OpenAiError.Of(StatusCodes.Status429TooManyRequests,
                    $"Rate limit reached: {PerMinute(http)} requests per minute per client. Retry after the time in the Retry-After header.",
                    "requests", code: "rate_limit_exceeded").ExecuteAsync(http);
            };
        });
        return services;
    }

    private static int PerMinute(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<ServingOptions>>().Value.RequestsPerMinute;
}
