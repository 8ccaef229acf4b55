using System.Collections.Concurrent;
using System.Security.Claims;
using LiveAspire.Contracts.Auth;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// Per-user invocation rate limit on this replica (a token bucket shared by the user's connections here). A call
/// over the limit fails with <c>rate_limited: ...</c> and the caller is pushed <c>Error("rate_limited", message,
/// retryAfterMs)</c> (once per run of refusals, so a flood is not answered by a flood). Each refusal is a strike
/// on the connection and each permitted call takes one off; past <see cref="EdgeOptions.MaxRateLimitStrikes"/> the
/// connection is told <c>Error("invocation_flood", ...)</c> and closed.
/// </summary>
public sealed partial class InvocationLimiter(IOptions<EdgeOptions> options, TimeProvider time,
    IHubClients<ILiveClient> clients, ILogger<InvocationLimiter> logger) : IHubFilter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserBucket> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Strikes> _connections = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        if (!_connections.TryGetValue(context.ConnectionId, out var strikes))
        {
            return await next(invocationContext);
        }
        if (strikes.Bucket.TryTake(out var retryAfterMs))
        {
            lock (strikes)
            {
                strikes.Count = Math.Max(0, strikes.Count - 1);
                strikes.Refusing = false;
            }
            return await next(invocationContext);
        }
        bool first, abusive;
        lock (strikes)
        {
            first = !strikes.Refusing;
            strikes.Refusing = true;
            strikes.Count++;
            abusive = strikes.Count == options.Value.MaxRateLimitStrikes + 1;
        }
        var client = clients.Client(context.ConnectionId);
        if (abusive)
        {
            LogFlood(logger, context.ConnectionId);
            var closing = client.Error(HubErrorCodes.InvocationFlood, "too many invocations over the rate limit; disconnected", options.Value.ConnectionRetryAfterSeconds * 1000);
            _ = closing.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => context.Abort(), TaskScheduler.Default);
        }
        else if (first)
        {
            _ = client.Error(HubErrorCodes.RateLimited, "too many invocations; slow down", retryAfterMs);
        }
        throw new HubException($"{HubErrorCodes.RateLimited}: too many invocations; retry after {retryAfterMs} ms");
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var key = context.Context.User?.FindFirstValue(TokenClaims.Subject) ?? context.Context.ConnectionId;
        UserBucket user;
        lock (_lock)
        {
            if (!_users.TryGetValue(key, out user!))
            {
                user = new UserBucket(new TokenBucket(options.Value.InvocationsPerSecond, options.Value.InvocationBurst, time));
                _users[key] = user;
            }
            user.Connections++;
        }
        _connections[context.Context.ConnectionId] = new Strikes(key, user.Bucket);
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (_connections.TryRemove(context.Context.ConnectionId, out var strikes))
            {
                lock (_lock)
                {
                    if (_users.TryGetValue(strikes.Key, out var user) && --user.Connections == 0)
                    {
                        _users.Remove(strikes.Key);
                    }
                }
            }
        }
    }

    private sealed class UserBucket(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;
        public int Connections { get; set; }
    }

    private sealed class Strikes(string key, TokenBucket bucket)
    {
        public string Key { get; } = key;
        public TokenBucket Bucket { get; } = bucket;
        public int Count { get; set; }
        public bool Refusing { get; set; }
    }

    [LoggerMessage(EventId = 3703, Level = LogLevel.Warning, Message = "Connection {ConnectionId} kept invoking over the rate limit; disconnected")]
    private static partial void LogFlood(ILogger logger, string connectionId);
}
