using LiveAspire.Data.Chat;

namespace LiveAspire.Realtime.Chat;

public static class ChatExtensions
{
    /// <summary>
    /// Chat (docs/chat.md): <c>SendChat</c>'s <see cref="SendChatHandler"/>, the group commit and published marks
    /// (<c>AddChatStore</c>), the cluster-wide limits (<see cref="ChatLimiter"/>) and the lookups' cache
    /// (<see cref="ChatDirectory"/>, with <see cref="ChatRoleChanges"/> forgetting changed roles), all from section <c>Chat</c>.
    /// </summary>
    public static TBuilder AddChat<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddChatStore();
        builder.Services.AddChatLimits(builder.Configuration);
        // Bounded: one entry per channel, user or name looked up recently.
        builder.Services.AddMemoryCache(o => o.SizeLimit = 200_000);
        builder.Services.AddSingleton<ChatDirectory>();
        builder.Services.AddHostedService<ChatRoleChanges>();
        builder.Services.AddSingleton<SendChatHandler>();
        return builder;
    }
}
