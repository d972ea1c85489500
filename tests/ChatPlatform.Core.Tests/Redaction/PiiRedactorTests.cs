using ChatPlatform.Core.Redaction;

namespace ChatPlatform.Core.Tests.Redaction;

public sealed class PiiRedactorTests
{
    static readonly PiiRedactor Default = new(new RedactionOptions
    {
        CustomPatterns = new() { ["ORDER"] = @"PW-ORD-\d{6}", ["ACCOUNT"] = @"\bACC-\d{8}\b" },
    });

    public static TheoryData<string, string> Detected => new()
    {
        { "Mail me at jane.doe+shop@example.co.uk please", "Mail me at [EMAIL] please" },
        { "Call +44 20 7946 0958 today", "Call [PHONE] today" },
        { "Call +1 (415) 555-2671", "Call [PHONE]" },
        { "my number is 0049 30 12345678", "my number is [PHONE]" },
        { "ring 030 1234567 or 0171-2345678", "ring [PHONE] or [PHONE]" },
        { "US office (555) 123-4567, cell 555-867-5309", "US office [PHONE], cell [PHONE]" },
        { "card 4111 1111 1111 1111 exp 12/27", "card [CARD] exp 12/27" },
        { "card 5500-0000-0000-0004.", "card [CARD]." },
        { "paid with 378282246310005", "paid with [CARD]" },
        { "IBAN DE89 3704 0044 0532 0130 00 thanks", "IBAN [IBAN] thanks" },
        { "to GB82WEST12345698765432", "to [IBAN]" },
        { "from 192.168.1.20, then 10.0.0.1.", "from [IP], then [IP]." },
        { "v6 2001:db8:85a3::8a2e:370:7334 and ::1 and fe80::1ff:fe23:4567:890a", "v6 [IP] and [IP] and [IP]" },
        { "ship to 221B Baker Street, London", "ship to [ADDRESS]" },
        { "I live at 1600 Pennsylvania Avenue, Washington, DC 20500", "I live at [ADDRESS]" },
        { "Lieferung an Hauptstraße 5, 10115 Berlin bitte", "Lieferung an [ADDRESS] bitte" },
        { "postcode SW1A 1AA", "postcode [ADDRESS]" },
        { "Springfield, IL 62704 is home", "[ADDRESS] is home" },
        { "order PW-ORD-123456 and account ACC-12345678", "order [ORDER] and account [ACCOUNT]" },
    };

    public static TheoryData<string> NotPii => new()
    {
        "Updated on 2026-01-15 at 10:30:45",
        "Due 15.01.2026 or 01/02/2026",
        "Firmware v2.3.1 and version 10.4.2 fix it",
        "It costs $1,299.00 or 1.299,00 € or 49.99",
        "The PW-200 and PW-200X models, SKU AB-1234-XY",
        "Order number 12345678 shipped; ticket #98765",
        "Reference 1234 5678 9012 3456 is not a card (Luhn fails)",
        "Fake IBAN DE89 3704 0044 0532 0130 02 fails mod 97",
        "Open from 09:00 to 17:30, call back in 10 minutes",
        "Batch 2026 of 150000 units, 3GB of RAM, 256 GB SSD",
        "Error 0x80070005 in module std::vector at 12:30:00",
        "Try again in 5 - 10 minutes, step 3 of 7",
        "Ratio 1920x1080 at 60 Hz, 4K",
        "Go to Settings, then Main Street view",
    };

    [Theory]
    [MemberData(nameof(Detected))]
    public void Detects(string text, string expected) => Assert.Equal(expected, Default.Redact(text));

    [Theory]
    [MemberData(nameof(NotPii))]
    public void Leaves_alone(string text) => Assert.Equal(text, Default.Redact(text));

    [Fact]
    public void Names_are_whole_words_in_any_case_full_name_first()
    {
        var names = Default.NamesFor("Mrs Anna Schmidt", "Tom Baker");
        Assert.Equal("Hi [CUSTOMER_NAME], this is [AGENT_NAME]. [CUSTOMER_NAME] asked [AGENT_NAME] about Annapolis and tomatoes.",
            Default.Redact("Hi anna, this is Tom Baker. Anna Schmidt asked TOM about Annapolis and tomatoes.", names));
    }

    [Fact]
    public void Detectors_and_placeholders_are_configurable()
    {
        var redactor = new PiiRedactor(new RedactionOptions { Phones = false, Placeholders = new() { ["EMAIL"] = "<email>" } });
        Assert.Equal("<email> or +44 20 7946 0958", redactor.Redact("a@b.io or +44 20 7946 0958"));
        var off = new PiiRedactor(new RedactionOptions { Enabled = false });
        Assert.Equal("a@b.io", off.Redact("a@b.io"));
    }

    [Fact]
    public void An_invalid_custom_pattern_is_an_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => new PiiRedactor(new RedactionOptions { CustomPatterns = new() { ["ORDER"] = "(unclosed" } }));
        Assert.StartsWith("Redaction:CustomPatterns:ORDER: not a valid regular expression", e.Message);
    }
}
