using System.Text.Json;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.PostProcessors;

/// <summary>Reads tokenizer.json's "post_processor" into a <see cref="TemplatePostProcessor"/>.</summary>
internal static class PostProcessorParser
{
    public static TemplatePostProcessor Parse(JsonFields? section)
    {
        if (section is not { } s) return TemplatePostProcessor.None;
        var type = s.RequiredType();
        switch (type)
        {
            case "ByteLevel":
                return TemplatePostProcessor.None; // only trims offsets
            case "Sequence":
            {
                var result = TemplatePostProcessor.None;
                foreach (var p in s.Objects("processors")) result = result.Then(Parse(p));
                return result;
            }
            case "BertProcessing":
            case "RobertaProcessing":
                return new TemplatePostProcessor([TokenPair(s, "cls")], [TokenPair(s, "sep")]);
            case "TemplateProcessing":
                return ParseTemplate(s);
            default:
                throw s.Unsupported("type", type);
        }
    }

    // "cls": ["[CLS]", 101]
    private static int TokenPair(JsonFields s, string field)
    {
        var pair = s.RequiredArray(field);
        if (pair.GetArrayLength() != 2 || !pair[1].TryGetInt32(out int id)) throw s.Error(field, "must be [token, id]");
        return id;
    }

    private static TemplatePostProcessor ParseTemplate(JsonFields s)
    {
        var specialTokens = s.RequiredObject("special_tokens");
        var before = new List<int>();
        var after = new List<int>();
        bool seenSequence = false;
        int index = 0;
        foreach (var item in s.RequiredArray("single").EnumerateArray())
        {
            var path = $"single[{index++}]";
            if (item.TryGetProperty("Sequence", out _))
            {
                if (seenSequence) throw s.Error(path, "repeats the sequence");
                seenSequence = true;
            }
            else if (item.TryGetProperty("SpecialToken", out var special) && special.TryGetProperty("id", out var name)
                     && name.ValueKind == JsonValueKind.String)
            {
                var entry = specialTokens.Object(name.GetString()!) ?? throw s.Error(path, $"names '{name.GetString()}', which is not in special_tokens");
                var target = seenSequence ? after : before;
                foreach (var id in entry.RequiredArray("ids").EnumerateArray()) target.Add(id.GetInt32());
            }
            else throw s.Error(path, "must be a {\"Sequence\": ..} or {\"SpecialToken\": {\"id\": ..}}");
        }
        if (!seenSequence) throw s.Error("single", "has no {\"Sequence\": ..}");
        return new TemplatePostProcessor(before, after);
    }
}
