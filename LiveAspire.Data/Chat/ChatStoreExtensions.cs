using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveAspire.Data.Chat;

public static class ChatStoreExtensions
{
    /// <summary>
    /// Registers the chat writer of a service that stores messages (Realtime): the group commit
    /// (<see cref="ChatCommitQueue"/>) and the batched published marks (<see cref="ChatPublishedMarks"/>), both running
    /// as hosted services, with <see cref="ChatStoreOptions"/> from section <c>Chat</c>, checked at start. Needs an
    /// <see cref="NpgsqlDataSource"/>.
    /// </summary>
    public static TBuilder AddChatStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ChatStoreOptions>().Bind(builder.Configuration.GetSection("Chat"))
            .Validate(o => o.CommitQueueCapacity is >= 1 and <= 1_000_000, "Chat:CommitQueueCapacity must be from 1 to 1000000")
            .Validate(o => o.MaxBatch is >= 1 and <= 10_000, "Chat:MaxBatch must be from 1 to 10000")
            .Validate(o => o.FlushDelayMs is >= 0 and <= 1000, "Chat:FlushDelayMs must be from 0 to 1000")
            .Validate(o => o.BusyRetryAfterMs is >= 1 and <= 60_000, "Chat:BusyRetryAfterMs must be from 1 to 60000")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ChatCommitQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatCommitQueue>());
        builder.Services.TryAddSingleton<ChatPublishedMarks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatPublishedMarks>());
        return builder;
    }
}
