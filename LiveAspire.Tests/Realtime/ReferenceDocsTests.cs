using System.Text.RegularExpressions;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime;

/// <summary>The reference docs stay true to the code: every event type is documented, and nothing else.</summary>
public sealed partial class ReferenceDocsTests
{
    private static string Doc(string name) => File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "docs", name));

    [Fact]
    public void EventsDocListsExactlyTheEventTypesInCode()
    {
        var section = Doc("events.md").Split("## Types")[1];
        var documented = TypeRow().Matches(section).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(EventTypes.All.Order(), documented.Order());
    }

    [Fact]
    public void EventsDocGivesEachTypeTheClassTheServerTreatsItBy()
    {
        var section = Doc("events.md").Split("## Types")[1].Split("## Classes")[0];
        var classes = TypeRowWithClass().Matches(section).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.NotEmpty(classes);
        foreach (var type in EventTypes.All)
        {
            Assert.Equal(EventClasses.Of(type).ToString().ToLowerInvariant(), classes[type]);
        }
        Assert.Equal(EventClass.Droppable, EventClasses.Of("chat.message")); // the documented chat. rule
    }

    [Fact]
    public void ErrorsDocListsEveryHubErrorCode()
    {
        var doc = Doc("errors.md");
        foreach (var code in HubErrorCodes.All)
        {
            Assert.Contains($"`{code}`", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ProtocolDocNamesEveryHubMethodAndClientMethod()
    {
        var doc = Doc("protocol.md");
        string[] hubMethods = [LiveHubContract.Resume, LiveHubContract.JoinStream, LiveHubContract.Leave, LiveHubContract.Ping,
            LiveHubContract.GetPresence, LiveHubContract.Typing];
        var clientMethods = typeof(ILiveClient).GetMethods().Select(m => m.Name);
        foreach (var name in hubMethods.Concat(clientMethods).Append(LiveHubContract.Path).Append(LiveHubContract.GapEventType))
        {
            Assert.Contains(name, doc, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^\| `([a-z][a-z0-9_.]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TypeRow();

    // | `type` | rooms | data | `class` | notes |
    [GeneratedRegex(@"^\| `([a-z][a-z0-9_.]*)` \|[^|\n]*\|[^|\n]*\| `([a-z]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TypeRowWithClass();
}
