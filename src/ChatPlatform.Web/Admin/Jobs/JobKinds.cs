namespace ChatPlatform.Web.Admin.Jobs;

/// <summary>The kinds of background job the admin console runs; each kind runs one job at a time, in order.</summary>
public static class JobKinds
{
    public const string Training = "training";
    public const string Import = "import";
}
