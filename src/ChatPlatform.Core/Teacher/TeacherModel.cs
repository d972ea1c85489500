using System.ClientModel;
using ChatPlatform.Core.Examples;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Core.Teacher;

/// <summary>
/// Calls the teacher with a timeout per attempt and retries failures (HTTP errors, timeouts, dropped connections)
/// with exponential backoff. Every retry and every final failure is counted in the run's summary; a failure yields
/// null, never an empty answer.
/// </summary>
public sealed class TeacherModel(IChatClient client, TeacherOptions options)
{
    public TeacherOptions Options => options;

    /// <returns>The reply text, or null when every attempt failed (the reason is in <paramref name="summary"/>).</returns>
    public async Task<string?> AskAsync(IReadOnlyList<ChatMessage> messages, ChatOptions chatOptions, string what,
        GenerationSummary summary, CancellationToken cancellationToken)
    {
        var backoff = options.FirstBackoff;
        string? lastError = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                summary.TeacherRetries++;
                await Task.Delay(backoff, cancellationToken);
                backoff *= 2;
            }
            summary.TeacherCalls++;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.AttemptTimeout);
            try
            {
                var response = await client.GetResponseAsync(messages, chatOptions, timeout.Token);
                return response.Text;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = $"timed out after {options.AttemptTimeout.TotalSeconds:0.#} s";
            }
            catch (ClientResultException e)
            {
                lastError = e.Status > 0 ? $"HTTP {e.Status}: {FirstLine(e.Message)}" : FirstLine(e.Message);
                // A bad request or a wrong key will not get better by asking again.
                if (e.Status is 400 or 401 or 403 or 404 or 422) break;
            }
            catch (HttpRequestException e)
            {
                lastError = FirstLine(e.Message);
            }
            catch (TimeoutException e)
            {
                lastError = FirstLine(e.Message);
            }
        }
        summary.TeacherErrors.Add($"{what}: {lastError}");
        summary.Skip(SkipReasons.TeacherFailed);
        return null;
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
