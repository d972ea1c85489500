using System.CommandLine;
using ChatPlatform.Llm;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform chat`: an interactive conversation with a local model (/reset clears it, /exit or EOF ends).</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var system = new Option<string?>("--system") { Description = "A system prompt." };
        var command = new Command("chat", "Chat with a local model in the terminal.") { system };
        model.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            EngineStartup.CheckBlas();
            using var local = model.Load(pr);
            if (local.TemplateWarning is { } warning) Console.Error.WriteLine($"warning: {warning}");
            using var client = new LocalChatClient(local);
            var options = model.ChatOptions(pr, pr.GetValue(model.MaxNewTokens));
            var history = new List<ChatMessage>();
            if (pr.GetValue(system) is { } s) history.Add(new ChatMessage(ChatRole.System, s));
            Console.Error.WriteLine($"{local.Name}: type a message; /reset clears the conversation, /exit ends.");
            while (true)
            {
                Console.Write("> ");
                var line = Console.ReadLine();
                if (line is null || line.Trim() == "/exit") return 0;
                if (line.Trim() == "/reset")
                {
                    history.RemoveAll(m => m.Role != ChatRole.System);
                    continue;
                }
                history.Add(new ChatMessage(ChatRole.User, line));
                var reply = new System.Text.StringBuilder();
                await foreach (var update in client.GetStreamingResponseAsync(history, options, ct))
                {
                    Console.Write(update.Text);
                    reply.Append(update.Text);
                }
                Console.WriteLine();
                history.Add(new ChatMessage(ChatRole.Assistant, reply.ToString()));
            }
        });
        return command;
    }
}
