namespace ChatPlatform.Core.Examples;

/// <summary>Why a source produced no example; the generation summary counts each.</summary>
public static class SkipReasons
{
    public const string NotResolved = "not-resolved";
    public const string LowSatisfaction = "low-satisfaction";
    public const string Language = "language";
    public const string NoExchange = "no-exchange";
    public const string TooShort = "too-short";
    public const string TooLong = "too-long";
    public const string AlreadyGenerated = "already-generated";
    public const string ExactDuplicate = "exact-duplicate";
    public const string NoFaqAndNoTeacher = "no-faq-and-no-teacher";
    public const string TeacherFailed = "teacher-failed";
    public const string TeacherRejected = "teacher-rejected";
}
