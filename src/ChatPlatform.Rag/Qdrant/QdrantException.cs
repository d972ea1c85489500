using System.Net;

namespace ChatPlatform.Rag.Qdrant;

/// <summary>
/// A request Qdrant refused or could not serve: the HTTP status (null when the server was unreachable), the request
/// and Qdrant's own error text (from its <c>{"status": {"error": "..."}}</c> body).
/// </summary>
public class QdrantException(string message, HttpStatusCode? statusCode = null, string? serverError = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
    public string? ServerError { get; } = serverError;
}

/// <summary>The server is unreachable or kept failing with transient errors after every retry.</summary>
public sealed class QdrantUnavailableException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : QdrantException(message, statusCode, null, inner);

/// <summary>The collection exists but does not fit the options (vector size, distance, vector names).</summary>
public sealed class QdrantConfigurationException(string message) : QdrantException(message);
