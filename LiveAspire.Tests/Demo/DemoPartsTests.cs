using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using LiveAspire.Api.Accounts;
using LiveAspire.Api.Channels;
using LiveAspire.Contracts.Demo;
using LiveAspire.Contracts.Text;
using LiveAspire.Demo;
using LiveAspire.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.Tests.Demo;

/// <summary>The demo's pieces that need no system: its settings, its cast against Api's rules, its instruments against docs/demo.md.</summary>
public sealed partial class DemoPartsTests
{
    private static DemoOptions Read(params (string Key, string Value)[] settings)
        => DemoOptions.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>(s.Key, s.Value)).Append(
                KeyValuePair.Create<string, string?>("Demo:AccountPassword", "a-demo-password")))
            .Build());

    [Fact]
    public void SettingsDefaultToAFewPerformersAndViewersAboutOnceAMinute()
    {
        var options = Read();

        Assert.Equal(DemoLimits.Performers.Default, options.Performers);
        Assert.Equal(DemoLimits.Viewers.Default, options.Viewers);
        Assert.Equal(TimeSpan.FromMinutes(1), options.TitleInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ViewerVisit);
        // Three signed-in viewers (who chat) per performer, at most half of the viewers.
        Assert.Equal(Math.Min(DemoLimits.Performers.Default * DemoOptions.SignedInViewersPerAccount, DemoLimits.Viewers.Default / 2), options.SignedInViewers);
        Assert.Equal(1, Read(("Demo:Performers", "3"), ("Demo:Viewers", "3")).SignedInViewers);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ChatInterval);
    }

    [Theory]
    [InlineData("Demo:Performers", "0", "from 1 to 8")]
    [InlineData("Demo:Performers", "9", "from 1 to 8")]
    [InlineData("Demo:Viewers", "201", "from 0 to 200")]
    [InlineData("Demo:Viewers", "lots", "from 0 to 200")]
    [InlineData("Demo:TitleInterval", "00:00:00.5", "from 00:00:01 to 01:00:00")]
    [InlineData("Demo:ViewerVisit", "soon", "from 00:00:01 to 01:00:00")]
    [InlineData("Demo:ViewersPerGuestToken", "0", "from 1 to 16")]
    public void ABadSettingStopsTheStartWithOneLineNamingTheKey(string key, string value, string wanted)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read((key, value)));

        Assert.Equal(key, error.Key);
        Assert.Contains(wanted, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AMissingPasswordStopsTheStartNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => DemoOptions.Read(new ConfigurationBuilder().Build()));

        Assert.Equal("Demo:AccountPassword", error.Key);
    }

    [Fact]
    public void EveryPerformerTheLimitAllowsHasARoleThatApiAccepts()
    {
        Assert.Equal(DemoLimits.Performers.Max, DemoCast.Roles.Count);
        Assert.Equal(DemoCast.Roles.Count, DemoCast.Roles.Select(r => r.Slug).Distinct().Count());
        Assert.Equal(DemoCast.Roles.Count, DemoCast.Roles.Select(r => r.Username.ToLowerInvariant()).Distinct().Count());
        Assert.All(DemoCast.Roles, role =>
        {
            Assert.True(ChannelSlug.IsValid(role.Slug), role.Slug);
            Assert.StartsWith("demo-", role.Slug, StringComparison.Ordinal);
            Assert.Equal(role.Username, AccountRules.ParseUsername(role.Username)?.Display);
            Assert.StartsWith("demo_", role.Username, StringComparison.Ordinal);
            Assert.Equal(role.Email, AccountRules.NormalizeEmail(role.Email));
            Assert.True(role.Titles.Count >= 2, $"{role.Slug} needs titles to change between");
            foreach (var name in role.Titles.Append(role.DisplayName).Append(role.Category))
            {
                Assert.True(UserText.TryNormalizeName(name, out var normalized) && normalized == name, $"'{name}' is not a name Api keeps as it is");
            }
        });
    }

    [Fact]
    public void EveryInstrumentOfTheDemosMeterIsDocumentedAndEveryDocumentedOneExists()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var published = new HashSet<string>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == DemoMetrics.MeterName)
                {
                    published.Add(instrument.Name);
                }
            };
            listener.Start();
            _ = new DemoMetrics(services.GetRequiredService<IMeterFactory>(), new DemoStage());
        }
        var doc = File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "docs", "demo.md"));
        var documented = InstrumentRow().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(published);
        Assert.Equal(documented.Order(), published.Order());
    }

    // | `liveaspire.demo.viewer_joins` | counter ...
    [GeneratedRegex(@"^\| `(liveaspire\.demo\.[a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex InstrumentRow();
}
