using System.Reflection;
using System.Text.RegularExpressions;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime;

/// <summary>
/// The reference docs stay true to the code: every event type, error code and close reason is documented, and nothing
/// else; and the services send codes only through their constants.
/// </summary>
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
    public void ErrorsDocListsExactlyTheRestProblemCodes()
        => Assert.Equal(Constants(typeof(ApiErrorCodes)).Order(), DocumentedCodes("## REST API").Order());

    [Fact]
    public void ErrorsDocListsExactlyTheHubErrorCodes()
    {
        Assert.Equal(Constants(typeof(HubErrorCodes)).Order(), DocumentedCodes("## Realtime hub").Order());
        Assert.Equal(Constants(typeof(HubErrorCodes)).Order(), HubErrorCodes.All.Order());
    }

    [Fact]
    public void ErrorsDocListsExactlyTheCloseReasons()
        => Assert.Equal(Constants(typeof(RevocationReasons), typeof(ReconnectReasons)).Order(), DocumentedCodes("### Close reasons").Order());

    [Fact]
    public void ApiAndRealtimeSendNoErrorCodeAsAStringLiteral()
    {
        // A code written as "room_invalid" (or in $"room_invalid: ...") instead of its constant can drift from the table.
        // Comments may quote codes.
        string[] codes = [.. Constants(typeof(ApiErrorCodes), typeof(HubErrorCodes), typeof(RevocationReasons), typeof(ReconnectReasons)).Distinct()];
        var literals = from project in new[] { "LiveAspire.Api", "LiveAspire.Realtime" }
                       from file in Directory.EnumerateFiles(Path.Combine(AppHostProcess.RepositoryRoot, project), "*.cs", SearchOption.AllDirectories)
                       where !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                       from line in File.ReadLines(file).Select((text, index) => (Text: text, Number: index + 1))
                       where !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal)
                       from code in codes
                       where line.Text.Contains($"\"{code}\"", StringComparison.Ordinal) || line.Text.Contains($"\"{code}:", StringComparison.Ordinal)
                       select $"{Path.GetRelativePath(AppHostProcess.RepositoryRoot, file)}:{line.Number}: {code}";

        Assert.Empty(literals);
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

    /// <summary>The codes in the first column of the tables under <paramref name="heading"/> in errors.md (up to the next heading).</summary>
    private static List<string> DocumentedCodes(string heading)
    {
        var doc = Doc("errors.md");
        var start = doc.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"errors.md has no heading '{heading}'");
        var section = doc[(start + 1 + heading.Length)..];
        var end = section.IndexOf("\n#", StringComparison.Ordinal);
        return CodeRow().Matches(end < 0 ? section : section[..end]).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>The values of the public string constants of <paramref name="types"/>.</summary>
    private static IEnumerable<string> Constants(params Type[] types)
        => types.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    [GeneratedRegex(@"^\| `([a-z][a-z0-9_.]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TypeRow();

    // | `code` | ... (an error code or a close reason: lower-case words joined by underscores)
    [GeneratedRegex(@"^\| `([a-z][a-z0-9_]*)` \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    // | `type` | rooms | data | `class` | notes |
    [GeneratedRegex(@"^\| `([a-z][a-z0-9_.]*)` \|[^|\n]*\|[^|\n]*\| `([a-z]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TypeRowWithClass();
}
