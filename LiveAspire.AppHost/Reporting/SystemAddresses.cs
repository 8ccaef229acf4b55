using System.Text.Json.Serialization;

namespace LiveAspire.AppHost.Reporting;

/// <summary>
/// Every address of a running system, as <c>./run.sh</c> prints it and writes it to <c>{state}/endpoints.json</c>
/// for scripts, tests and load tools. No secret is in it.
/// </summary>
public sealed record SystemAddresses(
    [property: JsonPropertyName("dashboard")] string? Dashboard,
    [property: JsonPropertyName("stateDirectory")] string StateDirectory,
    [property: JsonPropertyName("resources")] IReadOnlyList<ResourceAddresses> Resources);

/// <param name="Url">The address clients use: a store's own, or the proxy in front of a project's replicas.</param>
/// <param name="Replicas">A project's replicas, each with its own address (bypassing the proxy) and process ids.</param>
public sealed record ResourceAddresses(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("replicas")] IReadOnlyList<ReplicaAddresses> Replicas);

/// <param name="Id">The orchestrator's name for the replica (its <c>service.instance.id</c>).</param>
/// <param name="Pid">The service's own process (signal and measure this one).</param>
/// <param name="LauncherPid">The <c>dotnet run</c> process that started it.</param>
public sealed record ReplicaAddresses(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("launcherPid")] int? LauncherPid);
