using System.CommandLine;
using System.Text.Json;
using ChatPlatform.Llm.Tokenization;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform tokenize`: text → ids (a JSON array), or with --decode ids → text. With --input FILE each line is
/// one JSON value (a string to encode, or an array to decode) and each output line answers one input line.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model folder with tokenizer.json.", Required = true };
        var text = new Option<string?>("--text") { Description = "Text to encode (or, with --decode, a JSON array of ids)." };
        var input = new Option<string?>("--input") { Description = "A file with one JSON string (or array, with --decode) per line." };
        var decode = new Option<bool>("--decode") { Description = "Turn ids back into text." };
        var noSpecial = new Option<bool>("--no-special") { Description = "Encode without special tokens (BOS...); decode skipping them." };
        var command = new Command("tokenize", "Encode text to token ids or decode ids to text with a model's tokenizer.")
        {
            model, text, input, decode, noSpecial,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(text) is null) == (r.GetValue(input) is null)) r.AddError("give exactly one of --text or --input");
        });
        command.SetAction(pr =>
        {
            var tokenizer = HfTokenizer.FromDirectory(pr.GetValue(model)!);
            // Readable output: "<s>" rather than "\u003Cs\u003E" (the text is data for people and scripts, not HTML).
            var json = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            var special = !pr.GetValue(noSpecial);
            string Answer(string line, string where)
            {
                if (!pr.GetValue(decode)) return JsonSerializer.Serialize(tokenizer.Encode(line, special), json);
                int[] ids;
                try
                {
                    ids = JsonSerializer.Deserialize<int[]>(line) ?? throw new JsonException("null");
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{where}: expected a JSON array of token ids ({e.Message})");
                }
                var outside = ids.Where(id => id < 0 || id >= tokenizer.VocabSize).ToArray();
                if (outside.Length > 0)
                    throw new InvalidDataException($"{where}: token id {outside[0]} is outside the vocabulary (0..{tokenizer.VocabSize - 1})");
                return JsonSerializer.Serialize(tokenizer.Decode(ids, skipSpecialTokens: !special), json);
            }

            if (pr.GetValue(text) is { } single)
            {
                Console.WriteLine(Answer(single, "--text"));
                return 0;
            }
            var path = pr.GetValue(input)!;
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (pr.GetValue(decode))
                {
                    Console.WriteLine(Answer(line, $"{path} line {number}"));
                    continue;
                }
                string value;
                try
                {
                    value = JsonSerializer.Deserialize<string>(line) ?? throw new JsonException("null");
                }
                catch (JsonException e)
                {
                    Console.Error.WriteLine($"{path} line {number}: expected a JSON string ({e.Message})");
                    return 1;
                }
                Console.WriteLine(Answer(value, $"{path} line {number}"));
            }
            return 0;
        });
        return command;
    }
}
