namespace ChatPlatform.Web.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message =
        "First run: created the admin user {Email} with the one-time password {Password} . Sign in at /admin/login; you must change it at first sign-in. This password is not shown again.")]
    public static partial void OneTimePassword(ILogger log, string email, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "First run: created the admin user {Email} with the password from Admin:Password")]
    public static partial void ConfiguredAdmin(ILogger log, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin console: data directory {DataDirectory}")]
    public static partial void DataDirectory(ILogger log, string dataDirectory);
}
