using LiveAspire.Data.Schema;
using LiveAspire.Api.Data;

namespace LiveAspire.Tests.Data.Schema;

public class MigrationCatalogTests
{
    [Fact]
    public void EmbeddedMigrationsAreNumberedFromOneWithoutGaps()
    {
        var migrations = MigrationCatalog.Load();

        Assert.NotEmpty(migrations);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.Equal("0001_initial", migrations[0].Name);
    }

    [Fact]
    public void EveryEmbeddedMigrationHasSqlAndAChecksum()
    {
        Assert.All(MigrationCatalog.Load(), m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Sql));
            Assert.Matches("^[0-9a-f]{64}$", m.Checksum);
        });
    }

    [Fact]
    public void ChecksumIgnoresLineEndingsSoAWindowsCheckoutDoesNotLookEdited()
    {
        var unix = MigrationCatalog.Create(1, "0001_x", "CREATE TABLE a (id int);\nSELECT 1;\n");
        var windows = MigrationCatalog.Create(1, "0001_x", "CREATE TABLE a (id int);\r\nSELECT 1;\r\n");

        Assert.Equal(unix.Checksum, windows.Checksum);
    }

    [Fact]
    public void ChecksumChangesWhenTheScriptChanges()
    {
        var before = MigrationCatalog.Create(1, "0001_x", "CREATE TABLE a (id int);");
        var after = MigrationCatalog.Create(1, "0001_x", "CREATE TABLE a (id bigint);");

        Assert.NotEqual(before.Checksum, after.Checksum);
    }
}
