using System.ClientModel;
using System.Net;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace ChatPlatform.Web.Tests;

/// <summary>API keys created in the admin console: the OpenAI SDK authenticates with one until it is revoked.</summary>
public sealed class ApiKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SdkAuthenticatesWithACreatedKeyAndIsRefusedRightAfterRevocation()
    {
        using var app = new ServingApp(new() { ["Serving:ApiKeys:0"] = "configured-key" });
        var keys = app.Services.GetRequiredService<ManagedApiKeys>();
        var created = await keys.CreateAsync("  integration tests ", "admin@example.com", Ct);
        Assert.StartsWith(ManagedApiKeys.KeyPrefix, created.Key);
        Assert.True(created.Key.Length >= 40, "a key of 256 random bits");
        Assert.Equal("integration tests", created.Record.Name);

        var messages = new ChatMessage[] { new UserChatMessage("Once upon a time") };
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 4 };
        ChatCompletion reply = await app.Chat(created.Key).CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ServingApp.ModelId, reply.Model);
        await foreach (var _ in app.Chat(created.Key).CompleteChatStreamingAsync(messages, options, Ct)) { }
        // the configured key keeps working beside the managed ones
        await app.Chat("configured-key").CompleteChatAsync(messages, options, Ct);

        await keys.RevokeAsync(created.Record.Id, "admin@example.com", Ct);
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => app.Chat(created.Key).CompleteChatAsync(messages, options, Ct));
        Assert.Equal(401, refused.Status);
        var body = await ErrorBody.ReadAsync(await app.Http(created.Key).GetAsync("/v1/models", Ct));
        Assert.Equal((401, "invalid_api_key"), (body.Status, body.Code));

        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        var row = await db.ApiKeys.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(ManagedApiKeys.HashOf(created.Key), row.KeyHash);
        Assert.True(created.Key.StartsWith(row.Prefix, StringComparison.Ordinal) && row.Prefix.Length < 12, "only a short prefix is stored");
        Assert.NotNull(row.LastUsedAt);
        Assert.Equal("admin@example.com", row.RevokedBy);
        var audit = await db.AuditLog.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Action, a.Target, a.DetailsJson }).ToListAsync(Ct);
        Assert.Equal([("apikey.create", $"api-key:{row.Id}"), ("apikey.revoke", $"api-key:{row.Id}")],
            audit.Where(a => a.Action.StartsWith("apikey.")).Select(a => (a.Action, a.Target)));
        Assert.DoesNotContain(audit, a => a.DetailsJson?.Contains(created.Key[6..]) == true);
    }

    [Fact]
    public async Task CreatingTheFirstKeyClosesAnOpenApiAndRevokingTheLastOpensIt()
    {
        using var app = new ServingApp();
        var http = app.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models", Ct)).StatusCode);
        var keys = app.Services.GetRequiredService<ManagedApiKeys>();
        var created = await keys.CreateAsync("only key", "admin@example.com", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/models", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http(created.Key).GetAsync("/v1/models", Ct)).StatusCode);
        await keys.RevokeAsync(created.Record.Id, "admin@example.com", Ct);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models", Ct)).StatusCode);
    }

    [Fact]
    public async Task RateLimitsCountEachKeySeparately()
    {
        using var app = new ServingApp(new() { ["Serving:RequestsPerMinute"] = "2" });
        var keys = app.Services.GetRequiredService<ManagedApiKeys>();
        var first = (await keys.CreateAsync("first", "admin@example.com", Ct)).Key;
        var second = (await keys.CreateAsync("second", "admin@example.com", Ct)).Key;
        Assert.Equal(HttpStatusCode.OK, (await app.Http(first).GetAsync("/v1/models", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http(first).GetAsync("/v1/models", Ct)).StatusCode);
        var limited = await app.Http(first).GetAsync("/v1/models", Ct);
        Assert.Equal((429, "rate_limit_exceeded"), ((int)limited.StatusCode, (await ErrorBody.ReadAsync(limited)).Code));
        Assert.Equal(HttpStatusCode.OK, (await app.Http(second).GetAsync("/v1/models", Ct)).StatusCode);
    }

    [Fact]
    public async Task ANameIsRequired()
    {
        using var app = new AdminApp();
        var keys = app.Services.GetRequiredService<ManagedApiKeys>();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("   ", "admin@example.com", Ct));
        Assert.StartsWith("name:", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync(new string('x', ManagedApiKeys.MaxNameLength + 1), "admin@example.com", Ct));
    }

    [Fact]
    public async Task ThePageListsKeysByNameAndPrefixButNeverTheKey()
    {
        using var app = new AdminApp();
        var created = await app.Services.GetRequiredService<ManagedApiKeys>().CreateAsync("support bot", "admin@example.com", Ct);
        var admin = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(admin, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin");
        var page = await admin.GetStringAsync("/admin/api-keys", Ct);
        Assert.Contains("support bot", page);
        Assert.Contains(created.Record.Prefix, page);
        Assert.DoesNotContain(created.Key, page);
        Assert.Contains("href=\"admin/api-keys\"", page);
    }
}
