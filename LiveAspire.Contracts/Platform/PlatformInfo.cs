namespace LiveAspire.Contracts.Platform;

/// <summary>Answer to <c>GET /api/platform</c>, read from PostgreSQL.</summary>
/// <param name="Name">The platform's name.</param>
/// <param name="SchemaVersion">Highest applied schema migration version.</param>
/// <param name="DatabaseTime">The database server's clock (<c>now()</c>).</param>
/// <param name="ChannelCount">How many channels exist.</param>
public sealed record PlatformInfo(string Name, int SchemaVersion, DateTimeOffset DatabaseTime, long ChannelCount);
