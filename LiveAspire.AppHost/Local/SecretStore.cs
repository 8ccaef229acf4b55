using System.Security.Cryptography;

namespace LiveAspire.AppHost.Local;

/// <summary>
/// Secrets generated once into <c>{state}/secrets</c> (folder mode 700, files mode 600) and reused on every run,
/// so data protected by them (Redis, PostgreSQL, signed tokens) stays readable. Nothing secret is committed.
/// </summary>
public sealed class SecretStore(Func<string> directory)
{
    private readonly Lock _lock = new();

    public string Directory => directory();

    public string GetOrCreatePassword(string name)
        => GetOrCreate(name, () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    /// <summary>An ES256 (P-256) key pair in PEM: the private key for the token issuer, the public key for every validator.</summary>
    public (string PrivateKeyPem, string PublicKeyPem) GetOrCreateSigningKey(string name)
    {
        var privatePem = GetOrCreate(name, () =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return key.ExportPkcs8PrivateKeyPem();
        });
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(privatePem);
        return (privatePem, ecdsa.ExportSubjectPublicKeyInfoPem());
    }

    private string GetOrCreate(string name, Func<string> create)
    {
        lock (_lock)
        {
            var dir = Directory;
            System.IO.Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path).Trim();
            }
            var value = create();
            // Create with mode 600 before writing, so the secret is never readable by others even briefly.
            using (var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(value);
            }
            return value;
        }
    }
}
