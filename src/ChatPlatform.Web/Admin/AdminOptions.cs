namespace ChatPlatform.Web.Admin;

/// <summary>
/// The "Admin" configuration section: the first administrator and the sign-in limits. Bound once at start-up and
/// validated there (<see cref="AdminOptionsValidator"/>). The password comes from the environment
/// (<c>Admin__Password</c>) or user secrets, never from a committed file; without one, first run generates a one-time password.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const int MinimumPasswordLength = 12;

    /// <summary>The administrator created on first run (when the database has no admin users yet).</summary>
    public string Email { get; set; } = "admin@localhost";
    /// <summary>The first administrator's password; unset means a generated one-time password, printed once.</summary>
    public string? Password { get; set; }
    /// <summary>Sign-in attempts per minute per client IP; more are refused until the window passes.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
    /// <summary>How long a sign-in lasts without activity.</summary>
    public int SessionHours { get; set; } = 8;
}
