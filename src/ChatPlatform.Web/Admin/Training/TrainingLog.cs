namespace ChatPlatform.Web.Admin.Training;

internal static partial class TrainingLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Training run {RunId} failed")]
    public static partial void RunFailed(ILogger log, long runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training monitor: a subscriber failed")]
    public static partial void SubscriberFailed(ILogger log, Exception exception);
}
