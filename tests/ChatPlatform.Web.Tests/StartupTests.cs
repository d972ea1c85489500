using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Tests;

public sealed class StartupTests
{
    [Fact]
    public void BadSettingsStopTheStartNamingTheKey()
    {
        using var app = new ServingApp(new() { ["Serving:Model"] = "/no/such/model", ["Serving:MaxQueueLength"] = "-1", ["Serving:Device"] = "tpu" });
        var e = Assert.Throws<OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Serving:Model: folder '/no/such/model' does not exist", e.Message);
        Assert.Contains("Serving:MaxQueueLength", e.Message);
        Assert.Contains("Serving:Device", e.Message);
    }
}
