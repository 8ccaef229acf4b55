using LiveAspire.Contracts.Realtime;
using LiveAspire.Infrastructure.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace LiveAspire.Realtime.Hubs;

/// <summary>
/// The one hub every client connects to (one socket per browser tab). Split into a partial file per feature;
/// methods stay thin and call into the feature's services. Server-to-client calls go through <see cref="ILiveClient"/>.
/// </summary>
public sealed partial class LiveHub(ServiceInstance instance, TimeProvider time) : Hub<ILiveClient>
{
    /// <summary>Where the hub is mapped.</summary>
    public const string Path = "/hubs/live";
}
