namespace ChatPlatform.Core.Domain;

/// <summary>
/// A person who may sign in to the admin console. The password is stored only as an ASP.NET Core Identity
/// PasswordHasher hash (PBKDF2, salted); <see cref="MustChangePassword"/> holds a generated first-run password
/// until its owner replaces it.
/// </summary>
public sealed class AdminUser
{
    public long Id { get; set; }
    /// <summary>The sign-in name, compared case-insensitively (stored lower-case).</summary>
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary><see cref="AdminRoles.Admin"/> or <see cref="AdminRoles.Reviewer"/>.</summary>
    public required string Role { get; set; }
    public bool MustChangePassword { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    /// <summary>Set while an admin has disabled the account: it cannot sign in and its sessions end.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>Reviewers review examples; admins also upload knowledge, train, activate models and configure.</summary>
public static class AdminRoles
{
    public const string Admin = "admin";
    public const string Reviewer = "reviewer";

    public static bool IsKnown(string role) => role is Admin or Reviewer;
}
