using ChatPlatform.Core.Domain;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>
/// A generated password for <see cref="User"/>, returned once to be shown once: only its hash is stored, it is never logged
/// or audited, and its owner must replace it at first sign-in.
/// </summary>
public sealed record OneTimePassword(AdminUser User, string Password)
{
    // A record prints its members; this one must not end up in a log line by accident.
    public override string ToString() => $"one-time password for {User.Email}";
}
