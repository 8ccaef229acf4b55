namespace LiveAspire.AppHost.Hosting;

/// <summary>
/// The AppHost's switches. Short forms map onto <c>AppHost:*</c> settings; any <c>--AppHost:Key=value</c> is passed
/// through, so every option in <see cref="DistributedApplicationOptions"/> can be set from the command line.
/// </summary>
internal sealed record CommandLine(Dictionary<string, string?> Settings, string? ManifestOutputPath)
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--state-dir"] = "AppHost:StateDirectory",
        ["--port-range-start"] = "AppHost:PortRangeStart",
        ["--port-range-end"] = "AppHost:PortRangeEnd",
        ["--dashboard-port"] = "AppHost:DashboardPort",
        ["--environment"] = "AppHost:EnvironmentName",
        ["--configuration"] = "AppHost:Configuration",
        ["--health-timeout"] = "AppHost:HealthTimeoutSeconds",
    };

    public static CommandLine Parse(string[] args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? publisher = null, output = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw Usage($"{name} needs a value"));
            switch (name)
            {
                case "--no-build":
                    settings["AppHost:NoBuild"] = "true";
                    break;
                case "--publisher":
                    publisher = Value();
                    break;
                case "--output-path":
                    output = Value();
                    break;
                default:
                    if (Aliases.TryGetValue(name, out var key))
                    {
                        settings[key] = Value();
                    }
                    else if (name.StartsWith("--AppHost:", StringComparison.OrdinalIgnoreCase))
                    {
                        settings[name[2..]] = Value();
                    }
                    else
                    {
                        throw Usage($"unknown option {name}");
                    }
                    break;
            }
        }
        if (publisher is not null && publisher != "manifest")
        {
            throw Usage($"unknown publisher '{publisher}' (only 'manifest' is supported)");
        }
        if (publisher is not null && output is null)
        {
            throw Usage("--publisher manifest needs --output-path FILE");
        }
        return new CommandLine(settings, publisher is null ? null : output);
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }

    private static Orchestration.DistributedApplicationException Usage(string problem) => new(
        $"{problem}; usage: LiveAspire.AppHost [--no-build] [--state-dir DIR] [--port-range-start N] [--dashboard-port N] [--environment NAME] [--publisher manifest --output-path FILE]");
}
