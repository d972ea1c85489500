using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin;

/// <summary>Components and services open one context per operation from here (the database is migrated when the options are first built).</summary>
internal sealed class PlatformDbContextFactory(DbContextOptions<PlatformDbContext> options) : IDbContextFactory<PlatformDbContext>
{
    public PlatformDbContext CreateDbContext() => new(options);
}
