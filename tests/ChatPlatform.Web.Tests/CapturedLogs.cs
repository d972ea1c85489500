using Microsoft.Extensions.Logging;

namespace ChatPlatform.Web.Tests;

/// <summary>Every log event the app writes, with its structured fields, for tests that check what is (and is not) logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Event(string Category, int EventId, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields)
    {
        /// <summary>The message and every field value as text: what a log sink could store.</summary>
        public string AllText => Message + "\n" + string.Join("\n", Fields.Select(f => $"{f.Key}={f.Value}"));
    }

    private readonly List<Event> events = [];

    public IReadOnlyList<Event> Events
    {
        get
        {
            lock (events) return [.. events];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : new Dictionary<string, object?>();
            lock (owner.events) owner.events.Add(new Event(category, eventId.Id, logLevel, formatter(state, exception), fields));
        }
    }
}
