using System.Xml.Linq;
using LiveAspire.Postgres;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace LiveAspire.Web.DataProtection;

/// <summary>
/// Web's data-protection key ring in PostgreSQL (<c>web_data_protection_keys</c>, migration 0006), so every replica
/// and every restart uses the same keys: a session cookie or antiforgery token one replica made, another reads. The
/// keys are stored as ASP.NET Core writes them (not encrypted at rest): the table is as secret as the database's
/// password (docs/web.md). Synchronous because <see cref="IXmlRepository"/> is; the key ring is read rarely and cached.
/// Both operations are safe to repeat and are tried once more on a fresh connection after a database failure (the
/// pooled connections a PostgreSQL restart broke).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => DatabaseFaults.OnceMoreOnFreshConnection(database, ReadAll, onRetry: null);

    public void StoreElement(XElement element, string friendlyName)
        => DatabaseFaults.OnceMoreOnFreshConnection(database, () => Insert(element, friendlyName), onRetry: null);

    private List<XElement> ReadAll()
    {
        using var command = database.CreateCommand("SELECT xml FROM web_data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    /// <summary>Stores the element unless an earlier try stored the very same one (a key id is unique).</summary>
    private bool Insert(XElement element, string friendlyName)
    {
        using var command = database.CreateCommand("""
            INSERT INTO web_data_protection_keys (friendly_name, xml)
            SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM web_data_protection_keys WHERE xml = $2)
            """);
        command.Parameters.Add(new() { Value = friendlyName });
        command.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        return command.ExecuteNonQuery() == 1;
    }
}
