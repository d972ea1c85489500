using System.Security.Cryptography;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// Admin console accounts: the first administrator, password checks and changes, new users. Passwords are kept only as
/// ASP.NET Core Identity <see cref="PasswordHasher{TUser}"/> hashes; every change and every sign-in attempt is audited.
/// </summary>
public sealed class AdminAccounts(IDbContextFactory<PlatformDbContext> contexts)
{
    private static readonly PasswordHasher<AdminUser> Hasher = new();
    // Verified against when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-password-of-anyone");

    /// <summary>
    /// With no user yet, creates the administrator: with <paramref name="configuredPassword"/>, or with a generated
    /// one-time password (returned, to be shown once) that must be changed at first sign-in. Null when users exist
    /// or the password was configured.
    /// </summary>
    public async Task<string?> EnsureFirstAdminAsync(string email, string? configuredPassword, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.AdminUsers.AnyAsync(ct)) return null;
        var generated = configuredPassword is null ? GeneratePassword() : null;
        await AddAsync(db, email, configuredPassword ?? generated!, AdminRoles.Admin, mustChangePassword: generated is not null, actor: "system", ct);
        return generated;
    }

    /// <summary>Adds a user; the e-mail must be new and the password at least <see cref="AdminOptions.MinimumPasswordLength"/> characters.</summary>
    public async Task<AdminUser> CreateUserAsync(string email, string password, string role, string actor, bool mustChangePassword = false,
        CancellationToken ct = default)
    {
        if (!AdminRoles.IsKnown(role)) throw new ArgumentException($"role must be '{AdminRoles.Admin}' or '{AdminRoles.Reviewer}', not '{role}'");
        if (PasswordProblem(password) is { } problem) throw new ArgumentException(problem);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var normalized = Normalize(email);
        if (await db.AdminUsers.AnyAsync(u => u.Email == normalized, ct)) throw new ArgumentException($"a user {normalized} already exists");
        return await AddAsync(db, email, password, role, mustChangePassword, actor, ct);
    }

    /// <summary>The user when the e-mail and password match, else null. Both outcomes are audited.</summary>
    public async Task<AdminUser?> VerifyAsync(string email, string password, string clientAddress, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var normalized = Normalize(email);
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.Email == normalized, ct);
        var result = Hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DummyHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            await Audit.WriteAsync(db, normalized, "auth.login-failed", null, new { client = clientAddress }, ct);
            return null;
        }
        // Checked after the password, so the answer (and its time) tells a guesser nothing about disabled accounts.
        if (user.DisabledAt is not null)
        {
            await Audit.WriteAsync(db, normalized, "auth.login-failed", $"user:{user.Id}", new { client = clientAddress, reason = "disabled" }, ct);
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = Hasher.HashPassword(user, password);
        user.LastLoginAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, user.Email, "auth.login", $"user:{user.Id}", new { client = clientAddress }, ct);
        return user;
    }

    /// <summary>Replaces the password after checking the current one; null on success, else what is wrong.</summary>
    public async Task<string?> ChangePasswordAsync(long userId, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return "the account no longer exists";
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
            return "the current password is wrong";
        if (PasswordProblem(newPassword) is { } problem) return problem;
        if (newPassword == currentPassword) return "the new password must differ from the current one";
        user.PasswordHash = Hasher.HashPassword(user, newPassword);
        user.MustChangePassword = false;
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, user.Email, "auth.password-change", $"user:{user.Id}", null, ct);
        return null;
    }

    public async Task<AdminUser?> FindAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AdminUsers.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
    }

    public static string? PasswordProblem(string password) =>
        password.Length < AdminOptions.MinimumPasswordLength
            ? $"the password must be at least {AdminOptions.MinimumPasswordLength} characters"
            : null;

    private static async Task<AdminUser> AddAsync(PlatformDbContext db, string email, string password, string role, bool mustChangePassword,
        string actor, CancellationToken ct)
    {
        var user = new AdminUser
        {
            Email = Normalize(email), PasswordHash = "", Role = role, MustChangePassword = mustChangePassword, CreatedAt = DateTimeOffset.UtcNow,
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.AdminUsers.Add(user);
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, actor, "user.create", $"user:{user.Id}", new { user.Email, user.Role, user.MustChangePassword }, ct);
        return user;
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    internal static string HashPassword(AdminUser user, string password) => Hasher.HashPassword(user, password);

    /// <summary>20 characters from an alphabet without look-alikes (about 115 bits).</summary>
    internal static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
