using System.Diagnostics;

namespace LiveAspire.Tests.Api.Seeding;

/// <summary><c>dotnet LiveAspire.Api.dll seed ...</c> as an operator runs it, with the service's configuration.</summary>
[Collection(ApiCollection.Name)]
public sealed class SeedCommandTests(ApiFixture api)
{
    private static string ApiDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveAspire.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory!.FullName, "LiveAspire.Api", "bin", "Debug", "net10.0", "LiveAspire.Api.dll");
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ApiDll());
        start.ArgumentList.Add("seed");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["ConnectionStrings__livedb"] = api.ConnectionString("livedb");
        start.Environment["Auth__SigningKeyPem"] = api.SigningKeyPem;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout.WaitAsync(TimeSpan.FromSeconds(10)), await stderr.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SeedCommandRefusesToRunInProductionWithOneLine()
    {
        var prefix = $"p{Guid.NewGuid():N}"[..9] + "_";

        var (exitCode, _, stderr) = await RunAsync("Production", "--users", "5", "--prefix", prefix);

        Assert.Equal(2, exitCode);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("Production", stderr, StringComparison.Ordinal);
        Assert.Equal(0, await api.ScalarAsync("SELECT count(*) FROM users WHERE username_normalized LIKE $1 || '%'", prefix));
    }

    [Fact]
    public async Task SeedCommandWritesUsersAndWorkingTokensToTheOutputFile()
    {
        var prefix = $"c{Guid.NewGuid():N}"[..9] + "_";
        var output = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync("Testing", "--users", "20", "--prefix", prefix, "--output", output);

            Assert.True(exitCode == 0, stderr);
            Assert.Contains("seeded 20 users", stdout, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            Assert.Equal(20, json.RootElement.GetArrayLength());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
            using var http = api.CreateClient();
            using var me = await http.GetMeAsync(json.RootElement[19].GetProperty("accessToken").GetString()!);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task SeedCommandWithoutUsersIsAUsageError()
    {
        var (exitCode, _, stderr) = await RunAsync("Testing", "--prefix", "x_");

        Assert.Equal(2, exitCode);
        Assert.Contains("--users", stderr, StringComparison.Ordinal);
    }
}
