namespace ChatPlatform.Web.Admin;

/// <summary>
/// Response headers that limit what a page can load and who may frame it. The content security policy allows what
/// Blazor Server and Radzen need: scripts and the SignalR connection from this origin only, inline styles (Radzen sets
/// style attributes), data: images and fonts. Admin pages may not be framed at all. The /v1 API answers JSON and gets
/// only nosniff.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ";

    public Task InvokeAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (!http.Request.Path.StartsWithSegments("/v1"))
        {
            var admin = IsAdmin(http.Request.Path);
            headers.ContentSecurityPolicy = Policy + (admin ? "'none'" : "'self'");
            headers["Referrer-Policy"] = "same-origin";
            if (admin) headers.XFrameOptions = "DENY";
        }
        return next(http);
    }

    // The Blazor circuit (/_blazor) carries admin pages too.
    private static bool IsAdmin(PathString path) => path.StartsWithSegments("/admin") || path.StartsWithSegments("/_blazor");
}
