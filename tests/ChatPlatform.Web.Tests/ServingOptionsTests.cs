using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Tests;

/// <summary>Serving settings are checked at start-up, each error naming its key.</summary>
public sealed class ServingOptionsTests
{
    [Theory]
    [InlineData("Serving:PromptCacheMegabytes", "-1", "Serving:PromptCacheMegabytes: must be 0 (off) or more, not -1")]
    [InlineData("Serving:MaxConcurrentRequests", "0", "Serving:MaxConcurrentRequests: must be at least 1, not 0")]
    public void AnOutOfRangeSettingStopsTheStartNamingTheKey(string key, string value, string message)
    {
        using var app = new ServingApp(new() { [key] = value });
        var e = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.Contains(message, e.Message);
    }
}
