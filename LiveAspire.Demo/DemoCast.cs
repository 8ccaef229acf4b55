namespace LiveAspire.Demo;

/// <summary>One demo performer: the account's name, the channel's slug and look, and the titles they cycle through.</summary>
public sealed record DemoRole(string Username, string Slug, string DisplayName, string Category, IReadOnlyList<string> Titles, string EmoteCode,
    uint EmoteColor)
{
    /// <summary>Where the account's (development) mail goes; never a real address.</summary>
    public string Email => $"{Username}@demo.liveaspire.local";
}

/// <summary>
/// The demo's performers, always the same names in the same order, so every run finds the accounts and channels an
/// earlier run made (<c>--demo-performers 2</c> uses the first two). Slugs start with <c>demo-</c>, usernames with
/// <c>demo_</c>: nobody mistakes them for real ones.
/// </summary>
public static class DemoCast
{
    public static readonly IReadOnlyList<DemoRole> Roles =
    [
        new("demo_kitchen", "demo-kitchen", "Demo Kitchen", "Cooking", ["Sourdough from scratch", "Knife skills Q&A", "One-pot dinners"], "Sourdough", 0xE0A040),
        new("demo_chess", "demo-chess", "Demo Chess", "Chess", ["Blitz against viewers", "Endgame study", "Opening prep for the weekend"], "Checkmate", 0x7070E0),
        new("demo_beats", "demo-beats", "Demo Beats", "Music", ["Lo-fi beat from nothing", "Taking requests", "Synth patch clinic"], "Drop", 0xD050C0),
        new("demo_code", "demo-code", "Demo Code", "Software", ["Writing a parser", "Hunting a flaky test", "Code review, live"], "Shipit", 0x40C080),
        new("demo_speedrun", "demo-speedrun", "Demo Speedrun", "Games", ["Any% attempts", "Routing a new skip", "Practice splits"], "Pb", 0xE05050),
        new("demo_sketch", "demo-sketch", "Demo Sketchbook", "Art", ["Portrait warm-ups", "Inking a comic page", "Colour theory basics"], "Inked", 0x404040),
        new("demo_garden", "demo-garden", "Demo Garden", "Outdoors", ["Planting tomatoes", "Pruning the roses", "Compost questions"], "Sprout", 0x60B040),
        new("demo_fitness", "demo-fitness", "Demo Fitness", "Fitness", ["Morning mobility", "Twenty-minute strength", "Stretch and chat"], "Flex", 0xE08030),
    ];
}
