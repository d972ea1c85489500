namespace ChatPlatform.Web.Tests;

/// <summary>/healthz and /readyz answer anonymously, and readiness covers the database and the served model.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task LivenessAndReadinessAnswerWithoutSignIn()
    {
        using var app = new ServingApp();
        var http = app.Http();
        var ct = TestContext.Current.CancellationToken;
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            var response = await http.GetAsync(path, ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(ct));
        }
    }
}
