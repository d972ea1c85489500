using System.Net;
using System.Net.Sockets;

namespace ChatPlatform.Core.Redaction;

/// <summary>Checks that turn a pattern's candidate into a detection (or reject it as a date, version, price...).</summary>
internal static class PiiValidators
{
    /// <summary>Luhn checksum over the digits (separators ignored), 13–19 digits.</summary>
    public static bool IsCardNumber(ReadOnlySpan<char> candidate)
    {
        int sum = 0, count = 0;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (c is < '0' or > '9') continue;
            var d = c - '0';
            if ((count & 1) == 1)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            count++;
        }
        return count is >= 13 and <= 19 && sum % 10 == 0;
    }

    /// <summary>ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 must be 1.</summary>
    public static bool IsIban(ReadOnlySpan<char> candidate)
    {
        Span<char> compact = stackalloc char[40];
        var n = 0;
        foreach (var c in candidate)
        {
            if (c == ' ') continue;
            if (n == compact.Length) return false;
            compact[n++] = c;
        }
        if (n is < 15 or > 34) return false;
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = compact[(i + 4) % n];
            if (c is >= '0' and <= '9') remainder = (remainder * 10 + (c - '0')) % 97;
            else if (c is >= 'A' and <= 'Z') remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else return false;
        }
        return remainder == 1;
    }

    /// <summary>
    /// International (+ or 00, 8–15 digits), national with a trunk 0 (9–12 digits, "030 1234567", "0800 123 4567") or
    /// North American ("(555) 123-4567", "555-123-4567"). Dates and short numbers are not phones.
    /// </summary>
    public static bool IsPhone(ReadOnlySpan<char> candidate)
    {
        var digits = 0;
        var open = 0;
        var lastWasSeparator = false;
        foreach (var c in candidate)
        {
            if (c is >= '0' and <= '9') { digits++; lastWasSeparator = false; continue; }
            if (c == '(') open++;
            else if (c == ')') { if (--open < 0) return false; }
            else if (c != '+')
            {
                if (lastWasSeparator) return false; // "1 - 2" or "1..2" is not how numbers are written
                lastWasSeparator = true;
                continue;
            }
            lastWasSeparator = false;
        }
        if (open != 0) return false;
        if (PiiPatterns.Date().IsMatch(candidate)) return false;
        if (candidate[0] == '+' || candidate.StartsWith("00")) return digits is >= 8 and <= 15;
        var firstDigit = candidate[candidate.IndexOfAnyInRange('0', '9')];
        if (firstDigit == '0') return digits is >= 9 and <= 12 && candidate.IndexOfAny(" -/()") >= 0 || digits is >= 10 and <= 12;
        return PiiPatterns.NorthAmericanNumber().IsMatch(candidate);
    }

    public static bool IsIPv6(ReadOnlySpan<char> candidate) =>
        candidate.Count(':') >= 2 && IPAddress.TryParse(candidate, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
}
