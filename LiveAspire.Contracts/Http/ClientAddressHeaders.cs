namespace LiveAspire.Contracts.Http;

/// <summary>
/// How Web tells Api which browser a server-side call is for (docs/accounts.md, "Client address from Web"). Every
/// call from Web arrives from Web's own address; without these headers every user of the site would share Api's
/// per-address rate limits. Api believes <see cref="Address"/> only when <see cref="Key"/> carries the secret it
/// shares with Web (<c>ClientAddress:WebKey</c>); from any other caller both headers are ignored.
/// </summary>
public static class ClientAddressHeaders
{
    /// <summary>The browser's IP address, as Web's connection saw it.</summary>
    public const string Address = "LiveAspire-Client-Address";

    /// <summary>The shared secret that proves the caller is Web.</summary>
    public const string Key = "LiveAspire-Web-Key";
}
