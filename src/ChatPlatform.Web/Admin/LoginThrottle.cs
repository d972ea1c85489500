using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// Sign-in attempts per client IP in a fixed one-minute window (System.Threading.RateLimiting), so passwords cannot be
/// guessed at speed. Kept apart from the /v1 API's limiter: the two have different clients and different answers.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public LoginThrottle(IOptions<AdminOptions> options)
    {
        var perMinute = options.Value.LoginAttemptsPerMinute;
        limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>True when this attempt is allowed.</summary>
    public bool TryAttempt(string client)
    {
        using var lease = limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
