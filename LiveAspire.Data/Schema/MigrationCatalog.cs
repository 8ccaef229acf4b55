using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LiveAspire.Data.Schema;

/// <summary>
/// Finds the migration scripts embedded in this assembly (<c>LiveAspire.Data/Schema/Migrations/NNNN_name.sql</c>, embedded as
/// <c>migrations/NNNN_name.sql</c>) and checks that they are numbered 1, 2, 3... without gaps or duplicates.
/// </summary>
public static partial class MigrationCatalog
{
    /// <summary>Prefix of the embedded resource names (set by <c>LogicalName</c> in the csproj).</summary>
    public const string ResourcePrefix = "migrations/";

    /// <summary>Loads and validates every embedded script, ordered by version; throws <see cref="SchemaMigrationException"/> on a bad set.</summary>
    public static IReadOnlyList<MigrationScript> Load(Assembly? assembly = null)
    {
        assembly ??= typeof(MigrationCatalog).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new SchemaMigrationException($"Migration file '{fileName}' is not named NNNN_lower_snake_name.sql.");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(Create(int.Parse(match.Groups["version"].Value), Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new SchemaMigrationException($"Migration versions must run 1, 2, 3... without gaps or duplicates; found '{scripts[i].Name}' at position {i + 1}.");
            }
        }
        return scripts;
    }

    /// <summary>Builds a script from its text; the checksum ignores CR/LF differences so a Windows checkout does not look edited.</summary>
    public static MigrationScript Create(int version, string name, string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
        return new MigrationScript(version, name, normalised, checksum);
    }

    [GeneratedRegex(@"^(?<version>\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();
}
