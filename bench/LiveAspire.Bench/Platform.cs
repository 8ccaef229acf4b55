// The benchmark drives the Linux-only AppHost and reads /proc.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
