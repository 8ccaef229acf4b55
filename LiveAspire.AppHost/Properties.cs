// The AppHost runs the Debian binaries of Redis and PostgreSQL and POSIX calls: it is a Linux program.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
