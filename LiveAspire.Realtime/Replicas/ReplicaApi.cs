using LiveAspire.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveAspire.Realtime.Replicas;

public static class ReplicaApi
{
    public static RouteGroupBuilder MapReplicaApi(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous on purpose: tests and the load tool call it through the proxy to see round-robin in action.
        var group = endpoints.MapGroup("/replica").WithTags("Replica").AllowAnonymous();
        group.MapGet("", GetReplica).WithName(nameof(GetReplica));
        return group;
    }

    /// <summary>Which replica answered and when it started.</summary>
    public static Ok<ReplicaInfo> GetReplica(ServiceInstance instance)
        => TypedResults.Ok(new ReplicaInfo(instance.Id, instance.StartedAt));
}
