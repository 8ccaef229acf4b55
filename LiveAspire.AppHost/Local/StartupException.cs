namespace LiveAspire.AppHost.Local;

/// <summary>
/// Something on this machine stops the system from starting (a missing binary, no free port, a bad setting): the
/// AppHost prints the message on one line, <c>error: ...</c>, naming the problem and the fix, and exits with code 1.
/// </summary>
public sealed class StartupException(string message) : Exception(message);
