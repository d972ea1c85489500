using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// PDF text through Debian's poppler-utils (`pdftotext -layout -enc UTF-8 FILE -`): no PDF text extractor restores
/// from this registry (DEPENDENCIES.md §6). Runs as a child process with an argument list (no shell) and a timeout;
/// an encrypted, corrupt or image-only PDF is a per-file error.
/// </summary>
public static class PdfParser
{
    public const string Tool = "pdftotext";

    public static async Task<ParsedDocument> ParseAsync(string path, string title, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "-layout", "-enc", "UTF-8", Path.GetFullPath(path), "-" }) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DocumentParseException(path, $"could not start {Tool}");
        }
        catch (Win32Exception)
        {
            throw new DocumentParseException(path, $"{Tool} is not installed (Debian: apt-get install poppler-utils; scripts/setup.sh does it)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeoutCts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutCts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new DocumentParseException(path, $"{Tool} did not finish within {timeout.TotalSeconds:0} s");
            }
            var text = await stdout;
            var errors = (await stderr).Trim();
            if (process.ExitCode != 0)
            {
                // pdftotext's exit codes: 1 = cannot open, 3 = permissions (copying forbidden); the message says which.
                if (errors.Contains("password", StringComparison.OrdinalIgnoreCase) || process.ExitCode == 3)
                    throw new DocumentParseException(path, "encrypted (password-protected) PDF");
                var first = errors.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? $"exit code {process.ExitCode}";
                throw new DocumentParseException(path, $"corrupt or unreadable PDF ({first.Trim()})");
            }
            var parsed = PlainTextParser.Parse(text, title, DocumentKind.Pdf);
            if (parsed.Blocks.Count == 0)
                throw new DocumentParseException(path, "the PDF has no extractable text (a scanned image? OCR it first)");
            return parsed;
        }
    }
}
