using LiveAspire.AppHost.Orchestration;
using Microsoft.Extensions.Configuration;

namespace LiveAspire.AppHost.Hosting;

public interface IDistributedApplicationBuilder
{
    IConfiguration Configuration { get; }
    DistributedApplicationOptions Options { get; }
    IReadOnlyList<Resource> Resources { get; }
    SecretStore Secrets { get; }

    /// <summary>Set by <c>--publisher manifest --output-path FILE</c>: write the manifest instead of running.</summary>
    string? ManifestOutputPath { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : Resource;
    DistributedApplication Build();
}

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    /// <summary>A builder for a model defined in code (tests that need only part of the system).</summary>
    public DistributedApplicationBuilder(Action<DistributedApplicationOptions>? configure = null) : this([], configure)
    {
    }

    internal DistributedApplicationBuilder(string[] args, Action<DistributedApplicationOptions>? configure)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        try
        {
            var switches = CommandLine.Parse(args);
            configuration.AddInMemoryCollection(switches.Settings);
            ManifestOutputPath = switches.ManifestOutputPath;
            Configuration = configuration.Build();
            Configuration.GetSection("AppHost").Bind(Options);
            configure?.Invoke(Options);
            Options.RepositoryRoot ??= RepositoryLocator.Find();
            Options.StateDirectory ??= DefaultStateDirectory(Options.RepositoryRoot);
        }
        catch (Exception e) when (e is DistributedApplicationException or InvalidOperationException)
        {
            // AppHost.cs must still be able to describe its model; the error is reported, on one line, by Run.
            ConfigurationError = new DistributedApplicationException(e.Message);
            Configuration ??= configuration.Build();
            Options.RepositoryRoot ??= Directory.GetCurrentDirectory();
            Options.StateDirectory ??= Path.Combine(Path.GetTempPath(), "liveaspire-invalid");
        }
        Secrets = new SecretStore(() => Path.Combine(Options.StateDirectory!, "secrets"));
    }

    /// <summary>A bad switch or setting found while reading configuration; start and publish fail with it.</summary>
    internal DistributedApplicationException? ConfigurationError { get; }

    public IConfiguration Configuration { get; }
    public DistributedApplicationOptions Options { get; } = new();
    public IReadOnlyList<Resource> Resources => _resources;
    public SecretStore Secrets { get; }
    public string? ManifestOutputPath { get; }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public DistributedApplication Build()
    {
        DistributedApplicationTestingHook.Current?.ConfigureModel?.Invoke(this);
        return new DistributedApplication(this);
    }

    /// <summary>
    /// Under root, PostgreSQL runs as <c>postgres</c> and cannot reach a clone under a mode-700 home folder, so the
    /// state goes to a per-checkout folder under the temporary directory; otherwise it stays beside the code.
    /// </summary>
    private static string DefaultStateDirectory(string repositoryRoot)
    {
        if (!PosixSignals.IsRoot)
        {
            return Path.Combine(repositoryRoot, ".liveaspire");
        }
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(repositoryRoot)))[..10];
        return Path.Combine(Path.GetTempPath(), $"liveaspire-{hash}");
    }
}

internal static class RepositoryLocator
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LiveAspire.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DistributedApplicationException(
            "cannot find LiveAspire.sln above the AppHost; run from the repository or set AppHost:RepositoryRoot");
    }
}
