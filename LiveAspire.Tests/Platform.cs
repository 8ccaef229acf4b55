// The tests drive the Linux-only AppHost (signals, file modes, setpriv).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
