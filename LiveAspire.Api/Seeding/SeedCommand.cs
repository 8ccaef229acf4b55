using LiveAspire.Data.Schema;
using System.Globalization;
using System.Text.Json;
using LiveAspire.Postgres;

namespace LiveAspire.Api.Seeding;

/// <summary>
/// <c>dotnet LiveAspire.Api.dll seed --users N --prefix P [--output file]</c>: the same configuration as the service
/// (appsettings, environment variables), migrations applied, then <see cref="UserSeeder"/>. Refuses to run in
/// Production. The output file (JSON array of <c>{userId, username, accessToken}</c>, mode 600) is the only place
/// the tokens go.
/// </summary>
public static class SeedCommand
{
    public const string Name = "seed";
    public const int UsageExitCode = 2;

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var users, out var prefix, out var output, out var problem))
        {
            await Console.Error.WriteLineAsync($"error: {problem} (usage: seed --users N --prefix P [--output file])");
            return UsageExitCode;
        }
        // No command-line configuration: the switches above are the command's, not configuration keys.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        if (builder.Environment.IsProduction())
        {
            await Console.Error.WriteLineAsync("error: seed refuses to run in the Production environment; set ASPNETCORE_ENVIRONMENT=Development (or Testing).");
            return UsageExitCode;
        }
        builder.AddLiveAspireNpgsqlDataSource(LiveDbContext.ConnectionName);
        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var issuer = AccessTokenIssuer.FromOptions(auth);

        await using var services = builder.Services.BuildServiceProvider();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await new SchemaMigrator().ApplyAsync(dataSource);
        var started = DateTime.UtcNow;
        IReadOnlyList<SeededUser> seeded;
        try
        {
            seeded = await UserSeeder.SeedAsync(dataSource, issuer, users, prefix);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await Console.Error.WriteLineAsync($"error: users with prefix '{prefix}' already exist; choose another --prefix.");
            return UsageExitCode;
        }
        if (output is not null)
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Tokens: readable by the owner only, from the moment the file exists.
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using var file = new FileStream(output, fileOptions);
            await JsonSerializer.SerializeAsync(file, seeded, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        Console.WriteLine($"seeded {seeded.Count} users {seeded[0].Username}..{seeded[^1].Username} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s"
            + (output is null ? "" : $"; tokens in {output}"));
        return 0;
    }

    private static bool TryParse(string[] args, out int users, out string prefix, out string? output, out string problem)
    {
        (users, prefix, output, problem) = (0, "", null, "");
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--users" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1_000_000:
                    users = n;
                    break;
                case "--prefix" when value is not null && AccountRules.NormalizeUsername(value + "0") == value + "0":
                    prefix = value;
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    output = value;
                    break;
                default:
                    problem = $"bad or unknown argument '{args[i]}'";
                    return false;
            }
            i++;
        }
        problem = users == 0 ? "--users N (1 to 1000000) is required" : prefix.Length == 0 ? "--prefix P (lower-case letters, digits, _) is required" : "";
        return problem.Length == 0;
    }
}
