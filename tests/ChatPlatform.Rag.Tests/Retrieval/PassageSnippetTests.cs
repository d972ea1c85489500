using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Rag.Tests.Retrieval;

public class PassageSnippetTests
{
    [Fact]
    public void Query_words_are_marked_whatever_their_case_accent_or_common_ending()
    {
        var snippet = PassageSnippet.For("The LED ring FLASHES orange when the café Wi-Fi is lost.", "ring flashing orange cafe");
        Assert.Equal("The LED [ring] [FLASHES] [orange] when the [café] Wi-Fi is lost.", snippet);
    }

    [Fact]
    public void The_window_with_the_most_distinct_query_words_is_shown_with_cut_ends_marked()
    {
        var filler = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"word{i}"));
        var text = $"Reset once here. {filler}. To reset the router hold the reset button for ten seconds. {filler}.";

        var snippet = PassageSnippet.For(text, "reset button");

        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.Contains("[reset] the router hold the [reset] [button]", snippet);
        Assert.Equal(PassageSnippet.WindowTokens, snippet.Trim('…').Split(' ').Length);
    }

    [Fact]
    public void Stop_words_are_not_marked_and_a_passage_without_query_words_shows_its_start()
    {
        Assert.Equal("How do I [reset] it?", PassageSnippet.For("How do I reset it?", "how do I reset"));
        Assert.Equal("Line one. Line two.", PassageSnippet.For("Line one.\n\nLine   two.", "unrelated"));
    }
}
