using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// Every widget API request names its site (<c>?key=</c>, so CORS preflights carry it too). The request's origin must
/// be one the site allows, or this server's own: others get a 403 and no CORS headers, so the browser refuses the
/// response as well. Allowed cross-origin requests get the CORS headers; a preflight is answered here.
/// </summary>
internal sealed class WidgetSiteFilter(IOptions<WidgetOptions> options) : IEndpointFilter
{
    private const string SiteItem = "chatplatform.widget.site";

    public static WidgetSite SiteOf(HttpContext http) => (WidgetSite)http.Items[SiteItem]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Query["key"].ToString();
        if (key.Length == 0) return WidgetError.Of(StatusCodes.Status400BadRequest, "The site key is missing: add ?key=YOUR_SITE_KEY.");
        var site = options.Value.Site(key);
        if (site is null) return WidgetError.Of(StatusCodes.Status404NotFound, $"Unknown site key '{key}'.");
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(http, origin))
        {
            if (!site.Allows(origin))
                return WidgetError.Of(StatusCodes.Status403Forbidden, $"The origin {origin} is not allowed to use this site key.");
            var headers = http.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.Append("Vary", "Origin");
        }
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            http.Response.Headers.AccessControlAllowMethods = "GET, POST";
            http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            http.Response.Headers.AccessControlMaxAge = "600";
            return Results.NoContent();
        }
        http.Items[SiteItem] = site;
        return await next(context);
    }

    private static bool IsOwnOrigin(HttpContext http, string origin) =>
        string.Equals(origin, $"{http.Request.Scheme}://{http.Request.Host}", StringComparison.OrdinalIgnoreCase);
}
