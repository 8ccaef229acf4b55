using System.Runtime.InteropServices;

namespace LiveAspire.AppHost.Local;

/// <summary>The few POSIX calls the AppHost needs: who it runs as, handing a folder to the <c>postgres</c> user.</summary>
public static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);

    public static void ChangeOwner(string path, int uid, int gid)
    {
        if (Chown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {path} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Looks up a local user's uid and gid in /etc/passwd; null when there is no such user.</summary>
    public static (int Uid, int Gid)? FindUser(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == name)
            {
                return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return null;
    }
}
