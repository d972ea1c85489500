namespace ChatPlatform.Web.Admin.Jobs;

/// <summary>The kinds of background job the admin console runs; each kind runs one job at a time, in order.
/// Training covers Retrain runs and the starter model's pretraining: both hold the CPU for minutes.</summary>
public static class JobKinds
{
    public const string Training = "training";
    public const string Import = "import";
    /// <summary>Knowledge uploads and re-indexes: parse, chunk, index.</summary>
    public const string Indexing = "indexing";
    /// <summary>SFT example generation from conversations or documents.</summary>
    public const string Generation = "generation";
}
