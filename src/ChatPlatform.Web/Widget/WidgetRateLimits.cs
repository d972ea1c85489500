using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// Per site key and per client IP request limits on the widget's POSTs, as one chained limiter of .NET's built-in
/// fixed windows (one minute): a request must get a permit from both. A refusal is a 429 naming the limit, with Retry-After.
/// </summary>
internal sealed class WidgetRateLimits : IEndpointFilter, IDisposable
{
    private readonly WidgetOptions settings;
    private readonly PartitionedRateLimiter<HttpContext> limiter;

    public WidgetRateLimits(IOptions<WidgetOptions> options)
    {
        settings = options.Value;
        limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => Window("key:" + WidgetSiteFilter.SiteOf(http).Key, settings.RequestsPerMinutePerKey)),
            PartitionedRateLimiter.Create<HttpContext, string>(http => Window("ip:" + ClientIp(http), settings.RequestsPerMinutePerIp)));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = limiter.AttemptAcquire(http);
        if (lease.IsAcquired) return await next(context);
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return WidgetError.Of(StatusCodes.Status429TooManyRequests,
            $"Too many messages right now (at most {settings.RequestsPerMinutePerIp} per minute from one address and " +
            $"{settings.RequestsPerMinutePerKey} per minute for this site). Please wait a minute and try again.");
    }

    public static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> Window(string partition, int perMinute) =>
        perMinute == 0
            ? RateLimitPartition.GetNoLimiter(partition)
            : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });

    public void Dispose() => limiter.Dispose();
}
