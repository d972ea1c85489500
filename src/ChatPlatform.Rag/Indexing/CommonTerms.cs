using Microsoft.Data.Sqlite;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// Splits a query's words into rare and common ones by how many chunks contain them, the "common terms" rule of
/// Lucene's CommonTermsQuery: a word found in more than <see cref="MinRows"/> chunks and more than
/// <see cref="MaxShare"/> of all chunks only ranks chunks that also contain a rarer word of the query. Its BM25 weight
/// is small (it is nearly a stop word of this corpus) yet scoring every chunk it occurs in is what makes a query
/// slow at scale, so the rows scored stay bounded while the scores of the rows kept are still the full query's.
/// Below <see cref="MinRows"/> matches nothing is ever common, so small knowledge bases rank with plain BM25.
/// </summary>
internal static class CommonTerms
{
    public const int MinRows = 2_000;
    public const double MaxShare = 0.02;

    /// <summary>
    /// The rare words, or null when none is common (rank with every word as usual). When every word is common,
    /// the least common one counts as rare, so the query still matches something.
    /// </summary>
    public static IReadOnlyList<string>? RareWords(SqliteConnection connection, IReadOnlyList<string> words)
    {
        if (words.Count < 2) return null;
        var threshold = Math.Max(MinRows, (int)(MaxShare * ChunkCount(connection)));
        var counts = words.Select(w => (Word: w, Rows: MatchingRows(connection, w, threshold + 1))).ToList();
        if (counts.All(c => c.Rows <= threshold)) return null;
        var rare = counts.Where(c => c.Rows <= threshold).Select(c => c.Word).ToList();
        return rare.Count > 0 ? rare : [words.MinBy(w => MatchingRows(connection, w, int.MaxValue))!];
    }

    /// <summary>The number of chunks, kept by triggers in chunk_total (<see cref="KnowledgeDatabase"/>).</summary>
    internal static long ChunkCount(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select n from chunk_total";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>How many chunks contain the word, counted up to <paramref name="cap"/> (the cost stays bounded).</summary>
    private static int MatchingRows(SqliteConnection connection, string word, int cap)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from (select 1 from chunks_fts where chunks_fts match $q limit $cap)";
        command.Parameters.AddWithValue("$q", FtsQuery.Any([word]));
        command.Parameters.AddWithValue("$cap", cap);
        return Convert.ToInt32(command.ExecuteScalar()!);
    }
}
