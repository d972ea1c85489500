using ChatPlatform.Core.Examples;

namespace ChatPlatform.Core.Tests.Examples;

public sealed class TurnTextCleanerTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "Hi Anna,\n\nHold the reset button for 10 seconds.", "Hold the reset button for 10 seconds." },
        { "Hello,\nMy router blinks red.", "My router blinks red." },
        { "Hi Anna, the router needs a firmware update.", "The router needs a firmware update." },
        { "Hello, I cannot log in.", "I cannot log in." },
        { "Dear Mr. Smith,\nYour refund was issued.", "Your refund was issued." },
        { "The light blinks.\n\nBest regards, Tom — Penguin Wood Support", "The light blinks." },
        { "The light blinks.\n\nKind regards,\nTom\nPenguin Wood Support\n+1 555 0100", "The light blinks." },
        { "Where is my order?\n\nSent from my iPhone", "Where is my order?" },
        { "Thanks, that fixed it! Where do I find the manual?", "Thanks, that fixed it! Where do I find the manual?" },
        { "It works now.\nThanks,\nMaria", "It works now." },
        { "Ticket #PW-10023 has been updated\n\nYour order shipped today.", "Your order shipped today." },
        { "##- Please type your reply above this line -##\nThe table ships in two boxes.", "The table ships in two boxes." },
        { "Yes, that worked.\n\nOn Mon, 3 Mar 2025 at 10:02, Penguin Wood Support <help@pw.example> wrote:\n> Try restarting it.\n> Tom", "Yes, that worked." },
        { "I tried that.\n> Try restarting it.\nStill broken.", "I tried that.\nStill broken." },
        { "Hello I need help with my desk", "Hello I need help with my desk" },
        { "iOS app crashes on start.", "iOS app crashes on start." },
        { "Hi there!\n\n\n\nFirst line.\n\n\n\nSecond line.", "First line.\n\nSecond line." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Strips_greetings_signatures_quotes_and_boilerplate(string input, string expected) =>
        Assert.Equal(expected, TurnTextCleaner.Clean(input));
}
