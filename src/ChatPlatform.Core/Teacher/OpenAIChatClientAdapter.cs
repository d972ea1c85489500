using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAIChat = OpenAI.Chat;

namespace ChatPlatform.Core.Teacher;

/// <summary>
/// <see cref="IChatClient"/> over the official OpenAI SDK's <see cref="OpenAIChat.ChatClient"/>, for any
/// OpenAI-compatible endpoint (OpenAI 2.15 has no Microsoft.Extensions.AI adapter of its own). Text content only.
/// </summary>
public sealed class OpenAIChatClientAdapter(OpenAIChat.ChatClient client, string model, Uri endpoint) : IChatClient
{
    /// <summary>
    /// A client for <paramref name="options"/>. The SDK's own retries are off: <see cref="TeacherModel"/> retries,
    /// counts and reports, whatever the client.
    /// </summary>
    public static OpenAIChatClientAdapter Create(TeacherOptions options)
    {
        options.Validate();
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            NetworkTimeout = options.AttemptTimeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        var chat = new OpenAIChat.ChatClient(options.Model, new ApiKeyCredential(options.ApiKey), clientOptions);
        return new OpenAIChatClientAdapter(chat, options.Model, options.Endpoint);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await client.CompleteChatAsync(ToOpenAI(messages), ToOpenAI(options), cancellationToken);
        var completion = result.Value;
        var text = string.Concat(completion.Content.Where(p => p.Kind == OpenAIChat.ChatMessageContentPartKind.Text).Select(p => p.Text));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in client.CompleteChatStreamingAsync(ToOpenAI(messages), ToOpenAI(options), cancellationToken))
        {
            var text = string.Concat(update.ContentUpdate.Where(p => p.Kind == OpenAIChat.ChatMessageContentPartKind.Text).Select(p => p.Text));
            yield return new ChatResponseUpdate(ChatRole.Assistant, text)
            {
                ResponseId = update.CompletionId,
                ModelId = update.Model,
                FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai-compatible", endpoint, model)
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(client) ? client
        : null;

    public void Dispose() { }

    static List<OpenAIChat.ChatMessage> ToOpenAI(IEnumerable<ChatMessage> messages) =>
        [.. messages.Select(m => m.Role == ChatRole.System ? (OpenAIChat.ChatMessage)new OpenAIChat.SystemChatMessage(m.Text)
            : m.Role == ChatRole.Assistant ? new OpenAIChat.AssistantChatMessage(m.Text)
            : m.Role == ChatRole.User ? new OpenAIChat.UserChatMessage(m.Text)
            : throw new ArgumentException($"the teacher adapter sends system, user and assistant messages only, not '{m.Role}'"))];

    static OpenAIChat.ChatCompletionOptions ToOpenAI(ChatOptions? options)
    {
        var result = new OpenAIChat.ChatCompletionOptions();
        if (options is null) return result;
        result.Temperature = options.Temperature;
        result.TopP = options.TopP;
        result.MaxOutputTokenCount = options.MaxOutputTokens;
        if (options.StopSequences is { } stops) foreach (var stop in stops) result.StopSequences.Add(stop);
        if (options.ResponseFormat is ChatResponseFormatJson) result.ResponseFormat = OpenAIChat.ChatResponseFormat.CreateJsonObjectFormat();
        return result;
    }

    static ChatFinishReason ToFinishReason(OpenAIChat.ChatFinishReason reason) => reason switch
    {
        OpenAIChat.ChatFinishReason.Length => ChatFinishReason.Length,
        OpenAIChat.ChatFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        OpenAIChat.ChatFinishReason.ToolCalls or OpenAIChat.ChatFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
        _ => ChatFinishReason.Stop,
    };
}
