using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace LiveAspire.Web.DataProtection;

/// <summary>
/// Web's data-protection key ring in PostgreSQL (<c>web_data_protection_keys</c>, migration 0006), so every replica
/// and every restart uses the same keys: a session cookie or antiforgery token one replica made, another reads. The
/// keys are stored as ASP.NET Core writes them (not encrypted at rest): the table is as secret as the database's
/// password (docs/web.md). Synchronous because <see cref="IXmlRepository"/> is; the key ring is read rarely and cached.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
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

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = database.CreateCommand("INSERT INTO web_data_protection_keys (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.Add(new() { Value = friendlyName });
        command.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
