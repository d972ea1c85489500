using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>Start-up checks of the "Admin" section; each failure names its configuration key.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var errors = new List<string>();
        const string s = AdminOptions.Section;
        if (string.IsNullOrWhiteSpace(o.Email) || !o.Email.Contains('@')) errors.Add($"{s}:Email: must be an e-mail address, not '{o.Email}'");
        if (o.Password is { } p && p.Length < AdminOptions.MinimumPasswordLength)
            errors.Add($"{s}:Password: must be at least {AdminOptions.MinimumPasswordLength} characters (or unset for a generated one-time password)");
        if (o.LoginAttemptsPerMinute < 1) errors.Add($"{s}:LoginAttemptsPerMinute: must be at least 1, not {o.LoginAttemptsPerMinute}");
        if (o.SessionHours < 1) errors.Add($"{s}:SessionHours: must be at least 1, not {o.SessionHours}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
