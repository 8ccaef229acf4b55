namespace LiveAspire.Web;

/// <summary>Addresses the browser connects to itself (rendered into pages), as opposed to server-side calls.</summary>
public sealed class BrowserEndpoints
{
    /// <summary>
    /// Base address of the Realtime service (its hub is <c>/hubs/live</c> under it), from
    /// <c>services:realtime:http:0</c>: the AppHost's round-robin proxy in front of the replicas.
    /// </summary>
    public required Uri Realtime { get; init; }
}
