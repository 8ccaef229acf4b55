namespace LiveAspire.Infrastructure.Redis;

/// <summary>
/// Every Redis key and pub/sub channel name LiveAspire uses, built in one place (as SignalR's <c>RedisChannels</c>
/// does) so two services can never disagree on a name. All start with <c>liveaspire:</c>.
/// </summary>
public static class RedisKeys
{
    private const string Prefix = "liveaspire:";

    /// <summary>Hash with fields <c>sv</c> and <c>banned</c>: a cached copy of a user's security state in PostgreSQL.</summary>
    public static string Session(Guid userId) => $"{Prefix}session:{userId:D}";

    /// <summary>Channel carrying JSON <c>RevocationNotice</c>s from Api to every Realtime replica.</summary>
    public const string RevocationsChannel = Prefix + "revocations";
}
