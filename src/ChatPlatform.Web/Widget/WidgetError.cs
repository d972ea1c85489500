namespace ChatPlatform.Web.Widget;

/// <summary>
/// Every widget API error is <c>{"error": "..."}</c> with a message a customer can be shown as it is (the widget does),
/// so messages say what happened and what to do, never internals.
/// </summary>
internal static class WidgetError
{
    public static IResult Of(int status, string message) => Results.Json(new ErrorBody(message), statusCode: status);

    public static Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new ErrorBody(message));
    }

    public sealed record ErrorBody(string Error);
}
