using System.Diagnostics;
using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>Builds projects whose output is missing (unless <c>--no-build</c>, where missing output is an error).</summary>
internal sealed class ProjectBuilder(RunContext context)
{
    public async Task EnsureBuiltAsync(IEnumerable<ProjectResource> projects, CancellationToken cancellationToken)
    {
        foreach (var project in projects)
        {
            var csproj = Path.Combine(context.RepositoryRoot, project.Metadata.ProjectPath);
            var name = Path.GetFileNameWithoutExtension(csproj);
            var dll = Path.Combine(Path.GetDirectoryName(csproj)!, "bin", context.Options.Configuration, "net10.0", name + ".dll");
            if (File.Exists(dll))
            {
                continue;
            }
            if (context.Options.NoBuild)
            {
                throw new DistributedApplicationException(
                    $"{project.Name} has no build output at {dll}; build first (dotnet build -c {context.Options.Configuration}) or run without --no-build");
            }
            Console.WriteLine($"building {project.Name} ({context.Options.Configuration})...");
            var info = new ProcessStartInfo(DotnetHost.Path)
            {
                ArgumentList = { "build", csproj, "-c", context.Options.Configuration, "--nologo", "-v", "q" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var firstError = (await output + await error).Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal))?.Trim();
                throw new DistributedApplicationException($"building {project.Name} failed: {firstError ?? "see dotnet build output"}");
            }
        }
    }
}
