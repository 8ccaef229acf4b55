using System.Globalization;

namespace LiveAspire.Contracts.Demo;

/// <summary>
/// How big the demo may be: each size's default and bounds, written once for the AppHost, which checks its switches
/// <c>--demo-performers</c> and <c>--demo-viewers</c> before anything starts and passes the values on, and for the
/// demo (LiveAspire.Demo), which checks <c>Demo:Performers</c> and <c>Demo:Viewers</c> again when run alone. The bounds
/// keep the demo inside the per-address budgets it shares with everyone on the machine (docs/demo.md): every demo
/// performer is an account registered once (5 registrations per 10 minutes per address) and signed in at each start
/// (10 logins a minute), and guest viewers ask for guest tokens (60 a minute) and hold hub connections.
/// </summary>
public static class DemoLimits
{
    /// <summary>Demo performers, each with an account and a live channel (as many as the demo has roles for).</summary>
    public static readonly DemoSize Performers = new(Min: 1, Max: 8, Default: 3);

    /// <summary>Simulated viewers, each coming and going.</summary>
    public static readonly DemoSize Viewers = new(Min: 0, Max: 200, Default: 30);
}

/// <summary>One size of the demo: a whole number from <paramref name="Min"/> to <paramref name="Max"/>.</summary>
/// <param name="Min">The smallest value accepted.</param>
/// <param name="Max">The largest value accepted.</param>
/// <param name="Default">The value when the setting is absent.</param>
public sealed record DemoSize(int Min, int Max, int Default)
{
    /// <summary>
    /// Reads a setting's text: absent or blank is <see cref="Default"/>; otherwise a whole number within the bounds.
    /// On failure <paramref name="problem"/> says what is wanted, to finish a sentence that names the setting.
    /// </summary>
    public bool TryRead(string? text, out int value, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            value = Default;
            return true;
        }
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= Min && value <= Max)
        {
            return true;
        }
        problem = $"must be a whole number from {Min} to {Max}, not '{text}'";
        return false;
    }
}
