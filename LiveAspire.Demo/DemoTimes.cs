namespace LiveAspire.Demo;

/// <summary>Random durations around an average, so performers and viewers do not move in step.</summary>
public static class DemoTimes
{
    /// <summary>Between half and one and a half times <paramref name="average"/>.</summary>
    public static TimeSpan Around(TimeSpan average) => average * (0.5 + Random.Shared.NextDouble());

    /// <summary>Between zero and <paramref name="longest"/>.</summary>
    public static TimeSpan UpTo(TimeSpan longest) => longest * Random.Shared.NextDouble();
}
