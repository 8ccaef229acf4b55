using System.Globalization;

namespace LiveAspire.Demo;

/// <summary>
/// The demo's settings, section <c>Demo</c>. The AppHost passes the sizes (from <c>--demo-performers</c> and
/// <c>--demo-viewers</c>) and the accounts' password (a secret generated once into the state folder); the timings have
/// defaults that make a site worth watching, and tests shorten them. Read and checked while the host is built, so a
/// bad value stops the demo at start with one line naming the key (the binder alone would throw on "abc" with a
/// stack trace, and accept any number).
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Demo performers (<see cref="DemoLimits.Performers"/>), each with an account and a live channel.</summary>
    public int Performers { get; init; } = DemoLimits.Performers.Default;

    /// <summary>Simulated viewers (<see cref="DemoLimits.Viewers"/>), each coming and going.</summary>
    public int Viewers { get; init; } = DemoLimits.Viewers.Default;

    /// <summary>Password of every demo account: registered with it on the first run, signed in with it on each.</summary>
    public string AccountPassword { get; init; } = "";

    /// <summary>How often, on average, each performer retitles the broadcast (each wait is drawn between half and
    /// one and a half times this). Default 1 minute.</summary>
    public TimeSpan TitleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long, on average, a viewer watches a stream, and stays away between visits (a visit lasts
    /// between half and one and a half times this; an absence up to this long). Default 1 minute.</summary>
    public TimeSpan ViewerVisit { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often, on average, each signed-in demo viewer says something while watching (each wait is drawn
    /// between half and one and a half times this). Default 4 s.</summary>
    public TimeSpan ChatInterval { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Guest viewers sharing one guest token per channel, as tabs of one browser do (default 4). Fewer guest
    /// tokens keep the demo far below the per-address guest-token limit it shares with the site's visitors on this
    /// machine; keep it below Realtime's <c>Edge:MaxConnectionsPerUser</c>, which counts a guest token's connections.</summary>
    public int ViewersPerGuestToken { get; init; } = 4;

    /// <summary>Bounds of <see cref="ViewersPerGuestToken"/>.</summary>
    public static readonly DemoSize GuestTokenSharing = new(Min: 1, Max: 16, Default: 4);

    private static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    /// <summary>How many signed-in viewers share one performer's account (each chats in other channels than its own
    /// performer's, and a user's chat budget is per channel).</summary>
    public const int SignedInViewersPerAccount = 3;

    /// <summary>Viewers that watch signed in, with a performer's account (a performer visiting another demo channel),
    /// and chat: three per performer, at most half of the viewers. The others are guests.</summary>
    public int SignedInViewers => Math.Min(Performers * SignedInViewersPerAccount, Viewers / 2);

    /// <summary>Reads section <c>Demo</c>; throws <see cref="ConfigurationException"/> naming the first bad key.</summary>
    public static DemoOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var password = section[nameof(AccountPassword)];
        if (string.IsNullOrWhiteSpace(password) || password.Length < 8)
        {
            throw new ConfigurationException(Key(nameof(AccountPassword)), "is missing or shorter than 8 characters (the AppHost generates it into the state folder)");
        }
        return new DemoOptions
        {
            Performers = Size(section, nameof(Performers), DemoLimits.Performers),
            Viewers = Size(section, nameof(Viewers), DemoLimits.Viewers),
            AccountPassword = password,
            TitleInterval = Interval(section, nameof(TitleInterval), TimeSpan.FromMinutes(1)),
            ViewerVisit = Interval(section, nameof(ViewerVisit), TimeSpan.FromMinutes(1)),
            ChatInterval = Interval(section, nameof(ChatInterval), TimeSpan.FromSeconds(4)),
            ViewersPerGuestToken = Size(section, nameof(ViewersPerGuestToken), GuestTokenSharing),
        };
    }

    private static int Size(IConfigurationSection section, string name, DemoSize size)
        => size.TryRead(section[name], out var value, out var problem) ? value : throw new ConfigurationException(Key(name), problem);

    private static TimeSpan Interval(IConfigurationSection section, string name, TimeSpan fallback)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= ShortestInterval && value <= LongestInterval
            ? value
            : throw new ConfigurationException(Key(name), $"must be a duration from {ShortestInterval:c} to {LongestInterval:c} (hh:mm:ss), not '{text}'");
    }

    private static string Key(string name) => $"{SectionName}:{name}";
}
