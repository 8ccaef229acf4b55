using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using LiveAspire.Rooms;

namespace LiveAspire.Data.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// Registers <see cref="IOutboxWriter"/> and <see cref="IOutboxSqlWriter"/> with <see cref="OutboxOptions"/> from
    /// section <c>Outbox</c> (the relay reads the same section: the partition count must agree).
    /// </summary>
    public static TBuilder AddOutboxWriter<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.Configure<RoomOptions>(builder.Configuration.GetSection("Rooms"));
        builder.Services.TryAddSingleton<OutboxWriter>();
        builder.Services.TryAddSingleton<IOutboxWriter>(sp => sp.GetRequiredService<OutboxWriter>());
        builder.Services.TryAddSingleton<IOutboxSqlWriter>(sp => sp.GetRequiredService<OutboxWriter>());
        return builder;
    }
}
