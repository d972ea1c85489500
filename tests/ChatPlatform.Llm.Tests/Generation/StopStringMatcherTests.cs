using ChatPlatform.Llm.Generation;

namespace ChatPlatform.Llm.Tests.Generation;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void HoldsBackAPossibleStopStringUntilDecided()
    {
        var m = new StopStringMatcher(["\nUser:"]);
        Assert.Equal("Hello", m.Push("Hello\n"));
        Assert.Equal("", m.Push("Us"));
        Assert.Equal("\nUsual", m.Push("ual"));   // not the stop string after all: released
        Assert.Equal(" day", m.Push(" day\nUser: more"));
        Assert.True(m.Stopped);
        Assert.Equal("", m.Push("ignored"));
        Assert.Equal("", m.Flush());
    }

    [Fact]
    public void FlushReleasesTextThatNeverBecameAStopString()
    {
        var m = new StopStringMatcher(["###"]);
        Assert.Equal("a", m.Push("a##"));
        Assert.Equal("##", m.Flush());
    }

    [Fact]
    public void EarliestOfSeveralStopStringsWins()
    {
        var m = new StopStringMatcher(["END", "STOP"]);
        Assert.Equal("x ", m.Push("x STOP y END"));
    }
}
