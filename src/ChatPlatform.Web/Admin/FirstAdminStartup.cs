using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// At start-up: migrates the database (by building its options) and, on first run, creates the administrator, logging a
/// generated one-time password once. Hosted services start before the server accepts requests.
/// </summary>
internal sealed class FirstAdminStartup(AdminAccounts accounts, IOptions<AdminOptions> admin, IOptions<PlatformOptions> platform,
    ILogger<FirstAdminStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        AdminLog.DataDirectory(log, platform.Value.FullDataDirectory);
        var o = admin.Value;
        var generated = await accounts.EnsureFirstAdminAsync(o.Email, o.Password, cancellationToken);
        if (generated is not null) AdminLog.OneTimePassword(log, o.Email.Trim().ToLowerInvariant(), generated);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
