using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>One process of a project, started from its build output with the project folder as working directory
/// (as <c>dotnet run</c> does, so content root and appsettings are found).</summary>
public sealed class ProjectReplica(ProjectRunner runner, int index, int port, LogBuffer log, HttpClient probeClient)
    : ProcessReplica($"{runner.Resource.Name}-{index}", log, port)
{
    public int Index { get; } = index;

    protected override ProcessSpec CreateSpec()
    {
        var (fileName, arguments) = runner.Executable();
        return new ProcessSpec(fileName, arguments, runner.ProjectDirectory, runner.BuildEnvironment(this));
    }

    protected override async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        var path = runner.Resource.HealthCheckPath ?? "/";
        using var response = await probeClient.GetAsync(new Uri($"http://127.0.0.1:{Port}{path}"), cancellationToken);
        if (runner.Resource.HealthCheckPath is null || response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return $"{path} answered {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}";
    }

    protected override TimeSpan StopTimeout => TimeSpan.FromSeconds(runner.Context.Options.ShutdownTimeoutSeconds);

    protected override bool TryMoveToAnotherPort()
    {
        Port = runner.Context.Ports.Allocate(Id);
        runner.OnReplicaPortChanged(this);
        return true;
    }
}
