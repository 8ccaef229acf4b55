using Microsoft.Extensions.Configuration;

namespace LiveAspire.AppHost.Local;

/// <summary>
/// What run mode needs from this machine: the settings, the state folder (created, mode 700 for secrets), the port
/// block and the generated secrets. Secrets become parameter values through configuration
/// (<c>Parameters:{name}</c>), as Aspire reads them, so a resource never sees where they came from.
/// </summary>
public sealed class LocalEnvironment
{
    private LocalEnvironment(LocalSettings settings, string stateDirectory)
    {
        Settings = settings;
        StateDirectory = stateDirectory;
        Ports = new PortBlock(settings.PortRangeStart, settings.PortRangeEnd);
        Secrets = new SecretStore(() => Path.Combine(stateDirectory, "secrets"));
    }

    public LocalSettings Settings { get; }

    public string StateDirectory { get; }

    public PortBlock Ports { get; }

    public SecretStore Secrets { get; }

    /// <summary>A folder of the state directory for one resource, created if missing.</summary>
    public string FolderFor(string name)
    {
        var path = Path.Combine(StateDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static LocalEnvironment Create(IDistributedApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(LocalSettings.SectionName).Get<LocalSettings>() ?? new LocalSettings();
        var state = Path.GetFullPath(settings.StateDirectory ?? DefaultStateDirectory(builder.AppHostDirectory));
        Directory.CreateDirectory(state);
        // The postgres user (when the AppHost is root) must be able to pass through to its own folder.
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return new LocalEnvironment(settings, state);
    }

    /// <summary>
    /// Outside the checkout, one per checkout and per user, and in a place the <c>postgres</c> user can reach (a
    /// home folder is mode 700 on Debian 12): <c>/var/tmp/liveaspire-{user}-{hash of the checkout path}</c>, which
    /// survives a reboot, unlike /tmp.
    /// </summary>
    private static string DefaultStateDirectory(string appHostDirectory)
    {
        var checkout = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(checkout)))[..10];
        return Path.Combine("/var/tmp", $"liveaspire-{Environment.UserName}-{hash}");
    }
}
