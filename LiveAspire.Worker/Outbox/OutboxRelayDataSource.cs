using Npgsql;

namespace LiveAspire.Worker.Outbox;

/// <summary>
/// The relay's own, unpooled connections to <c>ConnectionStrings:livedb</c>. Unpooled because the session holds
/// advisory locks: closing it must end the server session and free them at once, not park it in a pool. The
/// application name is the replica id (<c>worker-0</c>), so <c>pg_stat_activity</c> shows who holds which lock.
/// </summary>
public sealed class OutboxRelayDataSource : IAsyncDisposable
{
    public OutboxRelayDataSource(IConfiguration configuration, ServiceInstance instance)
    {
        var builder = new NpgsqlDataSourceBuilder(configuration.GetConnectionString("livedb"));
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.ApplicationName = instance.Id;
        // Notices a dead server (or a half-open connection) while waiting for notifications.
        builder.ConnectionStringBuilder.KeepAlive = 10;
        // The relay polls every second and tries the standby's locks twice a second: traced, each poll would be a
        // trace of its own and bury everything else in the trace view. Only its work inside an outbox.relay span (a
        // batch that has rows) is traced.
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null));
        Value = builder.Build();
    }

    public NpgsqlDataSource Value { get; }

    public ValueTask DisposeAsync() => Value.DisposeAsync();
}
