using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

/// <summary>
/// The guest tokens of one group of guest viewers (<see cref="DemoOptions.ViewersPerGuestToken"/> of them share them,
/// as tabs of one browser share theirs): one token per channel, asked for when first needed and again once two
/// thirds of its life have passed, or when the hub refused it. The group keeps to one channel while it is live, so
/// it holds one token at a time. A guest token is a bearer for hub connections to its
/// channel's stream room, not a single connection (docs/channels.md, "Guests"), so sharing it is what a browser with
/// several tabs does; it keeps the demo's guest-token requests a small share of the per-address limit (60 a minute),
/// which the site's anonymous visitors on this machine draw from too.
/// </summary>
public sealed class GuestTokens(int group, DemoApi api)
{
    /// <summary>The group's number: its viewers keep to one channel (<see cref="DemoStage.Pick"/>).</summary>
    public int Group => group;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, (string Token, DateTimeOffset RenewAt)> _tokens = [];

    public async ValueTask<string> ForAsync(Guid channel, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(channel, out var held) && DateTimeOffset.UtcNow < held.RenewAt)
            {
                return held.Token;
            }
            var now = DateTimeOffset.UtcNow;
            var issued = await api.GuestTokenAsync(channel, cancellationToken);
            _tokens[channel] = (issued.AccessToken, now + (issued.AccessTokenExpiresAt - now) * 2 / 3);
            return issued.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The hub refused the channel's token (401): the next visit asks for a new one.</summary>
    public async Task RefusedAsync(Guid channel, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _tokens.Remove(channel);
        }
        finally
        {
            _gate.Release();
        }
    }
}
