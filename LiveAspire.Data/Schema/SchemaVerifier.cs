using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace LiveAspire.Data.Schema;

/// <summary>
/// Compares what the EF model expects with the live database (<c>information_schema.columns</c>), because the
/// schema is written by hand in SQL and EF would only notice a mismatch at query time. Tests run it against a
/// freshly migrated database: an empty result means every mapped table and column exists with a compatible
/// type and the same nullability.
/// </summary>
public static partial class SchemaVerifier
{
    /// <summary>Returns human-readable mismatches; empty when the database matches the model.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(DbContext context, CancellationToken cancellationToken = default)
    {
        var database = await ReadColumnsAsync(context.Database.GetDbConnection(), cancellationToken);
        var problems = new List<string>();
        foreach (var table in context.Model.GetRelationalModel().Tables)
        {
            var schema = table.Schema ?? database.DefaultSchema;
            var tableName = $"{schema}.{table.Name}";
            if (!database.Columns.TryGetValue((schema, table.Name), out var columns))
            {
                problems.Add($"Table {tableName} is mapped by the model but does not exist.");
                continue;
            }
            foreach (var column in table.Columns)
            {
                if (!columns.TryGetValue(column.Name, out var actual))
                {
                    problems.Add($"Column {tableName}.{column.Name} is mapped by the model but does not exist.");
                    continue;
                }
                var expectedType = NormaliseType(column.StoreType);
                if (expectedType != actual.Type)
                {
                    problems.Add($"Column {tableName}.{column.Name} has type {actual.Type} but the model expects {column.StoreType}.");
                }
                if (column.IsNullable != actual.IsNullable)
                {
                    problems.Add($"Column {tableName}.{column.Name} is {Nullability(actual.IsNullable)} but the model expects {Nullability(column.IsNullable)}.");
                }
            }
            // A NOT NULL column EF does not know about makes every insert through EF fail.
            foreach (var (name, actual) in columns)
            {
                if (!actual.IsNullable && !actual.HasDefault && table.FindColumn(name) is null)
                {
                    problems.Add($"Column {tableName}.{name} is NOT NULL without a default but is not mapped by the model, so inserts would fail.");
                }
            }
        }
        return problems;
    }

    private static string Nullability(bool nullable) => nullable ? "nullable" : "NOT NULL";

    private sealed record DbColumn(string Type, bool IsNullable, bool HasDefault);

    private sealed record DbSchema(string DefaultSchema, Dictionary<(string Schema, string Table), Dictionary<string, DbColumn>> Columns);

    private static async Task<DbSchema> ReadColumnsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            await using var command = connection.CreateCommand();
            // udt_name gives PostgreSQL's internal names (int4, timestamptz, _text for text[]) without aliases.
            command.CommandText = """
                SELECT current_schema(), c.table_schema, c.table_name, c.column_name, c.udt_name, c.is_nullable = 'YES',
                       c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS'
                FROM information_schema.columns c
                WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var defaultSchema = "public";
            var columns = new Dictionary<(string, string), Dictionary<string, DbColumn>>();
            while (await reader.ReadAsync(cancellationToken))
            {
                defaultSchema = reader.GetString(0);
                var key = (reader.GetString(1), reader.GetString(2));
                if (!columns.TryGetValue(key, out var table))
                {
                    columns[key] = table = new Dictionary<string, DbColumn>(StringComparer.Ordinal);
                }
                table[reader.GetString(3)] = new DbColumn(NormaliseType(reader.GetString(4)), reader.GetBoolean(5), reader.GetBoolean(6));
            }
            return new DbSchema(defaultSchema, columns);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>
    /// Reduces a store type to PostgreSQL's internal name without modifiers (<c>character varying(50)</c> and
    /// <c>varchar</c> both become <c>varchar</c>; <c>_int4</c> and <c>integer[]</c> both become <c>int4[]</c>).
    /// Length and precision are not compared.
    /// </summary>
    public static string NormaliseType(string storeType)
    {
        var type = TypeModifiers().Replace(storeType.Trim().ToLowerInvariant(), "");
        var isArray = false;
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            (type, isArray) = (type[..^2], true);
        }
        else if (type.StartsWith('_'))
        {
            (type, isArray) = (type[1..], true);
        }
        type = type switch
        {
            "integer" or "int" => "int4",
            "bigint" => "int8",
            "smallint" => "int2",
            "boolean" => "bool",
            "real" => "float4",
            "double precision" => "float8",
            "decimal" => "numeric",
            "character varying" => "varchar",
            "character" or "char" => "bpchar",
            "timestamp with time zone" => "timestamptz",
            "timestamp without time zone" => "timestamp",
            "time with time zone" => "timetz",
            "time without time zone" => "time",
            _ => type,
        };
        return isArray ? type + "[]" : type;
    }

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex TypeModifiers();
}
