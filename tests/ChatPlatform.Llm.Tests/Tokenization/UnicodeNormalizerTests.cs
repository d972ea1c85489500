using System.Text.Json;
using ChatPlatform.Llm.Tokenization.Unicode;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>The managed NFC/NFD/NFKC/NFKD against CPython's unicodedata (reference/unicode_normalization.json).</summary>
public sealed class UnicodeNormalizerTests
{
    [Theory]
    [InlineData("NFC", UnicodeNormalForm.Nfc)]
    [InlineData("NFD", UnicodeNormalForm.Nfd)]
    [InlineData("NFKC", UnicodeNormalForm.Nfkc)]
    [InlineData("NFKD", UnicodeNormalForm.Nfkd)]
    internal void Normalize_EqualsCPython(string field, UnicodeNormalForm form)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceData.ReferenceDir, "unicode_normalization.json")));
        var failures = new List<string>();
        int count = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty(field).GetString()!;
            var actual = UnicodeNormalizer.Normalize(text, form);
            count++;
            if (actual != expected) failures.Add($"{ReferenceData.Show(text)}: expected {ReferenceData.Show(expected)} got {ReferenceData.Show(actual)}");
        }
        Assert.True(count > 20);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
