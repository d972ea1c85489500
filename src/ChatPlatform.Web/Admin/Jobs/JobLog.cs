namespace ChatPlatform.Web.Admin.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs: {Count} job(s) left unfinished by the previous run are marked Interrupted")]
    public static partial void Interrupted(ILogger log, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id} ({Kind}) failed")]
    public static partial void Failed(ILogger log, long id, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id}: could not record its state")]
    public static partial void BookkeepingFailed(ILogger log, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id}: progress not saved ({Reason})")]
    public static partial void ProgressNotSaved(ILogger log, long id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id}: a subscriber to its updates failed")]
    public static partial void SubscriberFailed(ILogger log, long id, Exception exception);
}
