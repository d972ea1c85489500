using ChatPlatform.Web.Widget;

namespace ChatPlatform.Web.Tests;

public sealed class WidgetOptionsTests
{
    [Fact]
    public void EachBadSettingIsReportedWithItsKey()
    {
        var options = new WidgetOptions
        {
            Sites =
            [
                new WidgetSite { Key = "a", AllowedOrigins = ["https://ok.example", "https://ok.example/path", "not a url"] },
                new WidgetSite { Key = "a", BrandColor = "blue" },
            ],
            LandingSiteKey = "missing",
            MaxMessageChars = 0,
            RequestsPerMinutePerIp = -1,
        };
        var result = new WidgetOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Equal([
            "Widget:Sites:0:AllowedOrigins:1: 'https://ok.example/path' is not an origin like https://www.example.com",
            "Widget:Sites:0:AllowedOrigins:2: 'not a url' is not an origin like https://www.example.com",
            "Widget:Sites:1:Key: 'a' is used by an earlier site",
            "Widget:Sites:1:BrandColor: 'blue' is not a colour like #2f6fed",
            "Widget:LandingSiteKey: no site has the key 'missing'",
            "Widget:MaxMessageChars: must be at least 1, not 0",
            "Widget:RequestsPerMinutePerIp: must be 0 (off) or more, not -1",
        ], result.Failures);
    }

    [Fact]
    public void OriginsMatchWithoutCaseOrTrailingSlash()
    {
        var site = new WidgetSite { AllowedOrigins = ["https://Shop.example.com/"] };
        Assert.True(site.Allows("https://shop.example.com"));
        Assert.False(site.Allows("https://shop.example.com.evil.example"));
        Assert.False(site.Allows("http://shop.example.com"));
    }
}
