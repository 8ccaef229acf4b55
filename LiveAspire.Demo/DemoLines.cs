namespace LiveAspire.Demo;

/// <summary>
/// What demo viewers say: short lines, some with the channel's emote (<c>{emote}</c>), some mentioning the performer
/// (<c>{performer}</c>), and answers used when replying to another message. Varied enough that the duplicate guard
/// (the same text from one user within 30 s) rarely refuses one; when it does, the viewer waits as any client would.
/// </summary>
public static class DemoLines
{
    private static readonly string[] Lines =
    [
        "hello from the demo {emote}",
        "this is great {emote} {emote}",
        "@{performer} how long have you been doing this?",
        "first time here, loving it",
        "{emote}",
        "can you explain that again @{performer}?",
        "the sound is perfect today",
        "gg {emote}",
        "what was the name of that again?",
        "hi chat 👋",
        "🔥🔥🔥",
        "watching from the train 🚆",
        "@{performer} say hi to the demo viewers {emote}",
        "the docs are at https://learn.microsoft.com/aspnet/core/signalr",
        "lol",
        "that was clean {emote}",
    ];

    private static readonly string[] Answers =
    [
        "agreed",
        "same here {emote}",
        "haha yes",
        "good question, I was wondering too",
        "👍",
        "not sure, ask @{performer}",
    ];

    /// <summary>A line for this channel; <paramref name="reply"/> picks from the answers.</summary>
    public static string Pick(bool reply, string emote, string performer)
    {
        var pool = reply ? Answers : Lines;
        return pool[Random.Shared.Next(pool.Length)].Replace("{emote}", emote, StringComparison.Ordinal)
            .Replace("{performer}", performer, StringComparison.Ordinal);
    }
}
