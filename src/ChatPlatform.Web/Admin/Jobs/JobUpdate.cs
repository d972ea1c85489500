using ChatPlatform.Core.Domain;

namespace ChatPlatform.Web.Admin.Jobs;

/// <summary>A job's state as the UI shows it, pushed by <see cref="JobRunner.Changed"/> on every change.</summary>
public sealed record JobUpdate(long Id, string Kind, RunStatus Status, double Progress, string? Message, string? ResultJson);
