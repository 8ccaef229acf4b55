// The AppHost drives POSIX processes (signals, file modes, setpriv): it runs on Linux, as the machines it targets do.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
