using System.Net.Mail;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>
/// What an admin does to other console accounts: add one with a one-time password, change its role, disable and enable it,
/// reset its password. Every action re-reads the acting user from the database (a stale circuit of a demoted or disabled
/// admin changes nothing), keeps at least one active admin, and is audited with actor and target (never a password).
/// </summary>
public sealed class UserAdministration(IDbContextFactory<PlatformDbContext> contexts, AdminAccounts accounts)
{
    public async Task<IReadOnlyList<AdminUser>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AdminUsers.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
    }

    /// <summary>Adds a user who must replace the returned one-time password at first sign-in.</summary>
    public async Task<OneTimePassword> AddAsync(string email, string role, long actorId, CancellationToken ct = default)
    {
        if (EmailProblem(email) is { } problem) throw new AccountChangeRefusedException(problem);
        string actor;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            actor = (await RequireActiveAdminAsync(db, actorId, ct)).Email;
        var password = AdminAccounts.GeneratePassword();
        try
        {
            var user = await accounts.CreateUserAsync(email, password, role, actor, mustChangePassword: true, ct);
            return new OneTimePassword(user, password);
        }
        catch (ArgumentException e)
        {
            throw new AccountChangeRefusedException(e.Message);
        }
    }

    public Task ChangeRoleAsync(long userId, string role, long actorId, CancellationToken ct = default)
    {
        if (!AdminRoles.IsKnown(role)) throw new AccountChangeRefusedException($"role must be '{AdminRoles.Admin}' or '{AdminRoles.Reviewer}', not '{role}'");
        return ChangeAsync(userId, actorId, "user.role-change", user =>
        {
            if (user.Role == role) return null;
            var from = user.Role;
            user.Role = role;
            return new { user.Email, from, to = role };
        }, ct);
    }

    public Task DisableAsync(long userId, long actorId, CancellationToken ct = default) =>
        ChangeAsync(userId, actorId, "user.disable", user =>
        {
            if (user.DisabledAt is not null) return null;
            user.DisabledAt = DateTimeOffset.UtcNow;
            return new { user.Email };
        }, ct);

    public Task EnableAsync(long userId, long actorId, CancellationToken ct = default) =>
        ChangeAsync(userId, actorId, "user.enable", user =>
        {
            if (user.DisabledAt is null) return null;
            user.DisabledAt = null;
            return new { user.Email };
        }, ct);

    /// <summary>Replaces the user's password with a one-time one that must be changed at the next sign-in; their sessions end.</summary>
    public async Task<OneTimePassword> ResetPasswordAsync(long userId, long actorId, CancellationToken ct = default)
    {
        var password = AdminAccounts.GeneratePassword();
        AdminUser? reset = null;
        await ChangeAsync(userId, actorId, "user.password-reset", user =>
        {
            user.PasswordHash = AdminAccounts.HashPassword(user, password);
            user.MustChangePassword = true;
            reset = user;
            return new { user.Email };
        }, ct);
        return new OneTimePassword(reset!, password);
    }

    /// <summary>
    /// Applies <paramref name="change"/> (which returns the audit details, or null when nothing changed) in one immediate
    /// SQLite transaction, so two admins demoting each other at once cannot leave the console without an active admin.
    /// </summary>
    private async Task ChangeAsync(long userId, long actorId, string action, Func<AdminUser, object?> change,
        CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var actor = await RequireActiveAdminAsync(db, actorId, ct);
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new AccountChangeRefusedException($"there is no user {userId} (any more)");
        var details = change(user);
        if (details is null) return;
        if (!await db.AdminUsers.AnyAsync(u => u.Role == AdminRoles.Admin && u.DisabledAt == null && u.Id != user.Id, ct)
            && !(user.Role == AdminRoles.Admin && user.DisabledAt is null))
            throw new AccountChangeRefusedException(
                $"{user.Email} is the last active admin: make another user an admin (or enable one) first, so someone can still manage the console");
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, actor.Email, action, $"user:{user.Id}", details, ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task<AdminUser> RequireActiveAdminAsync(PlatformDbContext db, long actorId, CancellationToken ct) =>
        await db.AdminUsers.AsNoTracking().SingleOrDefaultAsync(u => u.Id == actorId && u.Role == AdminRoles.Admin && u.DisabledAt == null, ct)
        ?? throw new AccountChangeRefusedException("only an active admin may manage users: sign in again");

    private static string? EmailProblem(string email)
    {
        var trimmed = email.Trim();
        if (trimmed.Length == 0) return "enter the new user's e-mail address";
        return MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && parsed.DisplayName.Length == 0
            ? null
            : $"'{trimmed}' is not an e-mail address";
    }
}
