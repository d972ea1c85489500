using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Web.Admin.Starter;

/// <summary>
/// The starter model's tokenizer, made here since nothing can be downloaded: byte-level BPE with the 256 byte symbols
/// and no merges (GPT-2's byte-to-unicode alphabet, so any text encodes and decodes exactly), plus &lt;s&gt;, &lt;/s&gt;
/// and the ChatML markers as single special tokens, so Retrain's chat format (the ChatML fallback) costs one token per
/// marker. Byte tokens make sequences about four times longer than a trained BPE would; for a model this small that
/// is the price of needing no vocabulary file.
/// </summary>
public static class StarterTokenizer
{
    public const string Bos = "<s>", Eos = "</s>", ImStart = "<|im_start|>", ImEnd = "<|im_end|>";

    public static void Write(string folder)
    {
        var vocab = new JsonObject();
        var symbols = ByteSymbols();
        for (var b = 0; b < 256; b++) vocab[symbols[b].ToString()] = b;
        var added = new JsonArray();
        string[] specials = [Bos, Eos, ImStart, ImEnd];
        for (var i = 0; i < specials.Length; i++)
            added.Add(new JsonObject
            {
                ["id"] = 256 + i, ["content"] = specials[i], ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
                ["normalized"] = false, ["special"] = true,
            });
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0", ["truncation"] = null, ["padding"] = null, ["added_tokens"] = added, ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel, ["post_processor"] = null, ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = new JsonArray(),
            },
        };
        var config = new JsonObject
        {
            ["bos_token"] = Bos, ["eos_token"] = Eos, ["pad_token"] = Eos, ["add_bos_token"] = true, ["add_eos_token"] = false,
            ["model_max_length"] = 512, ["tokenizer_class"] = "PreTrainedTokenizerFast",
        };
        var indented = new JsonSerializerOptions { WriteIndented = true };
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString(indented));
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(indented));
    }

    /// <summary>GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for code points from 256 up.</summary>
    internal static char[] ByteSymbols()
    {
        var symbols = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            symbols[b] = printable ? (char)b : (char)next++;
        }
        return symbols;
    }
}
