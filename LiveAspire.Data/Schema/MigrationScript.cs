namespace LiveAspire.Data.Schema;

/// <summary>One versioned SQL file of the schema.</summary>
/// <param name="Version">The file's number (<c>0001_initial.sql</c> is 1); applied in ascending order.</param>
/// <param name="Name">The file name without extension, e.g. <c>0001_initial</c>.</param>
/// <param name="Sql">The script text with line endings normalised to <c>\n</c>.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of <paramref name="Sql"/>, stored when applied.</param>
public sealed record MigrationScript(int Version, string Name, string Sql, string Checksum);
