using LiveAspire.Data.Schema;
using LiveAspire.Api.Channels;
using LiveAspire.Api.Data;

namespace LiveAspire.Tests.Api.Channels;

public class ChannelSlugTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("bob-live", true)]
    [InlineData("carol_3", true)]
    [InlineData("ab", false)]
    [InlineData("-abc", false)]
    [InlineData("abc_", false)]
    [InlineData("Abc", false)]
    [InlineData("a b c", false)]
    [InlineData("abc\n", false)]
    [InlineData("a23456789012345678901234567890123", false)]
    public void SlugRuleAcceptsOnlyLowercaseNamesOfThreeToThirtyTwoCharacters(string slug, bool valid)
        => Assert.Equal(valid, ChannelSlug.IsValid(slug));

    [Fact]
    public void DatabaseCheckConstraintUsesTheSamePatternAsCode()
    {
        var initial = MigrationCatalog.Load().Single(m => m.Version == 1);

        Assert.Contains($"CHECK (slug ~ '{ChannelSlug.Pattern}')", initial.Sql);
    }
}
