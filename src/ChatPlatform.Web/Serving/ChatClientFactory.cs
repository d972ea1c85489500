using ChatPlatform.Llm;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Makes the chat client of a freshly loaded model (by default a <see cref="LocalChatClient"/> with its own inference
/// thread). The loaded version owns and disposes it. Tests register another to control generation.
/// </summary>
public delegate IChatClient ChatClientFactory(LocalModel model);
