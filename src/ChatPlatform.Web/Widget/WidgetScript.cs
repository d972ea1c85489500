using System.Security.Cryptography;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// GET /widget.js, the one-line embed's script, from the assembly rather than a web root: the full app and
/// `chatplatform serve` (whose entry assembly has no static web assets) serve the same bytes. Revalidated by ETag, so
/// sites pick up a new version without a cache-busting URL.
/// </summary>
internal static class WidgetScript
{
    public const string Path = "/widget.js";

    private static readonly Lazy<(byte[] Bytes, string ETag)> Script = new(() =>
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream("ChatPlatform.Web.Widget.widget.js")
                           ?? throw new InvalidOperationException("widget.js is not embedded in ChatPlatform.Web");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
    });

    public static IResult Get(HttpContext http)
    {
        var (bytes, etag) = Script.Value;
        http.Response.Headers.CacheControl = "public, max-age=300, must-revalidate";
        http.Response.Headers.ETag = etag;
        // any site may load the script; what it may call is decided per site key by the API's CORS filter
        http.Response.Headers.AccessControlAllowOrigin = "*";
        if (http.Request.Headers.IfNoneMatch.Contains(etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(bytes, "text/javascript; charset=utf-8");
    }
}
