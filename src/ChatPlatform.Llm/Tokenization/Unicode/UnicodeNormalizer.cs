using System.Text;

namespace ChatPlatform.Llm.Tokenization.Unicode;

/// <summary>The four Unicode normalization forms (UAX #15).</summary>
internal enum UnicodeNormalForm { Nfc, Nfd, Nfkc, Nfkd }

/// <summary>
/// Unicode normalization in managed code. The platform runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> returns its input unchanged, so NFC/NFD/NFKC/NFKD are implemented
/// here from the data in <see cref="UnicodeNormalizationData"/> (decompose, canonical ordering,
/// canonical composition, with Hangul handled algorithmically as UAX #15 describes).
/// </summary>
internal static class UnicodeNormalizer
{
    // Hangul syllable arithmetic (Unicode chapter 3.12).
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(Tables.Load);

    public static string Normalize(string text, UnicodeNormalForm form)
    {
        if (IsAsciiOnly(text)) return text; // ASCII is invariant under every form
        var tables = Data.Value;
        bool compat = form is UnicodeNormalForm.Nfkc or UnicodeNormalForm.Nfkd;
        var cps = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp < tables.Plain.Length && tables.Plain[cp]) cps.Add(cp); // no decomposition: the common case
            else Decompose(cp, compat, tables, cps);
        }
        SortCombiningMarks(cps, tables);
        if (form is UnicodeNormalForm.Nfc or UnicodeNormalForm.Nfkc) Compose(cps, tables);
        var sb = new StringBuilder(cps.Count);
        foreach (var cp in cps) CharClasses.AppendRune(sb, new Rune(cp));
        return sb.ToString();
    }

    private static bool IsAsciiOnly(string text)
    {
        foreach (var c in text) if (c > 0x7F) return false;
        return true;
    }

    private static void Decompose(int cp, bool compat, Tables t, List<int> output)
    {
        int sIndex = cp - SBase;
        if (sIndex is >= 0 and < SCount)
        {
            output.Add(LBase + sIndex / NCount);
            output.Add(VBase + sIndex % NCount / TCount);
            if (sIndex % TCount != 0) output.Add(TBase + sIndex % TCount);
            return;
        }
        if (t.Decompositions.TryGetValue(cp, out var d) && (compat || !d.IsCompat))
        {
            foreach (var part in d.Parts) Decompose(part, compat, t, output);
            return;
        }
        output.Add(cp);
    }

    // Canonical ordering: a stable sort by combining class within each run of non-starters.
    private static void SortCombiningMarks(List<int> cps, Tables t)
    {
        for (int i = 1; i < cps.Count; i++)
        {
            int ccc = t.CombiningClass(cps[i]);
            if (ccc == 0) continue;
            int j = i;
            while (j > 0)
            {
                int prev = t.CombiningClass(cps[j - 1]);
                if (prev == 0 || prev <= ccc) break;
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    // Canonical composition, following the sample code of UAX #15: a character combines with the
    // last starter unless a character of the same or higher combining class sits between them.
    private static void Compose(List<int> cps, Tables t)
    {
        if (cps.Count == 0) return;
        int starterPos = 0;
        int lastClass = t.CombiningClass(cps[0]) == 0 ? 0 : 256; // a leading non-starter blocks
        int write = 1;
        for (int read = 1; read < cps.Count; read++)
        {
            int cp = cps[read];
            int ccc = t.CombiningClass(cp);
            if ((lastClass < ccc || lastClass == 0) && TryCompose(cps[starterPos], cp, t, out int composed))
            {
                cps[starterPos] = composed;
                continue;
            }
            if (ccc == 0) starterPos = write;
            lastClass = ccc;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, Tables t, out int composed)
    {
        int lIndex = first - LBase, vIndex = second - VBase;
        if (lIndex is >= 0 and < LCount && vIndex is >= 0 and < VCount)
        {
            composed = SBase + (lIndex * VCount + vIndex) * TCount;
            return true;
        }
        int sIndex = first - SBase, tIndex = second - TBase;
        if (sIndex is >= 0 and < SCount && sIndex % TCount == 0 && tIndex is > 0 and < TCount)
        {
            composed = first + tIndex;
            return true;
        }
        return t.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composed);
    }

    private readonly record struct Decomposition(bool IsCompat, int[] Parts);

    private sealed class Tables
    {
        public required Dictionary<int, int> Ccc { get; init; }

        /// <summary>BMP code points that are not Hangul syllables and have no decomposition.</summary>
        public required bool[] Plain { get; init; }

        private byte[]? _bmpCcc;

        public int CombiningClass(int cp)
        {
            var bmp = _bmpCcc ??= BuildBmpCcc();
            return cp < bmp.Length ? bmp[cp] : Ccc.GetValueOrDefault(cp);
        }

        private byte[] BuildBmpCcc()
        {
            var table = new byte[0x10000];
            foreach (var (cp, cls) in Ccc) if (cp < table.Length) table[cp] = (byte)cls;
            return table;
        }
        public required Dictionary<int, Decomposition> Decompositions { get; init; }
        public required Dictionary<long, int> Compositions { get; init; }

        public static Tables Load()
        {
            var ccc = new Dictionary<int, int>();
            foreach (var entry in UnicodeNormalizationData.CombiningClasses.Split(';'))
            {
                var (range, value) = SplitOnce(entry, ':');
                int cls = int.Parse(value);
                var (first, last) = range.Contains('-') ? SplitOnce(range, '-') : (range, range);
                for (int cp = Hex(first); cp <= Hex(last); cp++) ccc[cp] = cls;
            }

            var decompositions = new Dictionary<int, Decomposition>();
            foreach (var entry in UnicodeNormalizationData.Decompositions.Split(';'))
            {
                var (cp, mapping) = SplitOnce(entry, '=');
                bool compat = mapping.StartsWith('<');
                var parts = mapping.TrimStart('<').Split(' ').Select(Hex).ToArray();
                decompositions[Hex(cp)] = new Decomposition(compat, parts);
            }

            var excluded = UnicodeNormalizationData.CompositionExclusions.Split(';').Select(Hex).ToHashSet();
            var compositions = new Dictionary<long, int>();
            foreach (var (cp, d) in decompositions)
            {
                if (d.IsCompat || d.Parts.Length != 2 || excluded.Contains(cp)) continue;
                compositions[((long)d.Parts[0] << 21) | (uint)d.Parts[1]] = cp;
            }
            var plain = new bool[0x10000];
            for (int cp = 0; cp < plain.Length; cp++) plain[cp] = !decompositions.ContainsKey(cp) && cp is not (>= SBase and < SBase + SCount);
            return new Tables { Ccc = ccc, Decompositions = decompositions, Compositions = compositions, Plain = plain };
        }

        private static (string, string) SplitOnce(string s, char separator)
        {
            int i = s.IndexOf(separator);
            return (s[..i], s[(i + 1)..]);
        }

        private static int Hex(string s) => Convert.ToInt32(s, 16);
    }
}
