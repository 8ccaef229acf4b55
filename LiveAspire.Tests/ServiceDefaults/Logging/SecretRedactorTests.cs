using LiveAspire.ServiceDefaults.Logging;

namespace LiveAspire.Tests.ServiceDefaults.Logging;

public sealed class SecretRedactorTests
{
    private const string Jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXBhcnQ";

    [Fact]
    public void LineWithoutSecretsIsReturnedUnchanged()
    {
        var line = "Joined stream 42 as viewer at http://127.0.0.1:5000/hubs/live in 12 ms";
        Assert.Same(line, SecretRedactor.Redact(line));
    }

    [Fact]
    public void JwtAnywhereInTextIsMasked()
        => Assert.Equal("token [redacted] seen", SecretRedactor.Redact($"token {Jwt} seen"));

    [Fact]
    public void UnsignedJwtIsMasked()
        => Assert.Equal("x [redacted] y", SecretRedactor.Redact("x eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9. y"));

    [Fact]
    public void BearerCredentialIsMasked()
        => Assert.Equal("Authorization: Bearer [redacted]", SecretRedactor.Redact("Authorization: Bearer abc.def-ghi_jkl=="));

    [Theory]
    [InlineData("GET /hubs/live?id=3&access_token=opaque123&v=1", "GET /hubs/live?id=3&access_token=[redacted]&v=1")]
    [InlineData("POST /auth/refresh?refresh_token=r-456", "POST /auth/refresh?refresh_token=[redacted]")]
    public void TokensInQueryStringsAreMasked(string input, string expected)
        => Assert.Equal(expected, SecretRedactor.Redact(input));

    [Theory]
    [InlineData("Host=db;Password=abc;Database=livedb", "Host=db;Password=[redacted];Database=livedb")]
    [InlineData("Host=db;password=\"a;b\";Database=livedb", "Host=db;password=[redacted];Database=livedb")]
    [InlineData("127.0.0.1:6379,password=abc,ssl=false", "127.0.0.1:6379,password=[redacted],ssl=false")]
    [InlineData("127.0.0.1:6379,password=abc", "127.0.0.1:6379,password=[redacted]")]
    [InlineData("Host=db;Pwd=abc,def;Database=x", "Host=db;Pwd=[redacted];Database=x")]
    public void ConnectionStringPasswordsAreMasked(string input, string expected)
        => Assert.Equal(expected, SecretRedactor.Redact(input));

    [Fact]
    public void PasswordInUriUserInfoIsMasked()
        => Assert.Equal("postgres://app:[redacted]@db:5432/livedb", SecretRedactor.Redact("postgres://app:hunter2@db:5432/livedb"));

    [Fact]
    public void PemPrivateKeyBlockIsMasked()
    {
        var text = "key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBx\nabc+/=\n-----END EC PRIVATE KEY-----\ndone";
        Assert.Equal("key:\n[redacted]\ndone", SecretRedactor.Redact(text));
    }

    [Fact]
    public void PublicKeyPemIsKept()
    {
        var text = "-----BEGIN PUBLIC KEY-----\nMFkwEwYH\n-----END PUBLIC KEY-----";
        Assert.Same(text, SecretRedactor.Redact(text));
    }

    [Theory]
    [InlineData("StreamKey", true)]
    [InlineData("AccessToken", true)]
    [InlineData("access_token", true)]
    [InlineData("password", true)]
    [InlineData("ClientSecret", true)]
    [InlineData("apikey", true)]
    [InlineData("Authorization", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("KeyId", false)]
    [InlineData("key_id", false)]
    [InlineData("TokenType", false)]
    [InlineData("TokenCount", false)]
    [InlineData("UserId", false)]
    [InlineData("StreamId", false)]
    [InlineData("keyid", true)]
    public void FieldNameRuleMasksSecretsButNotTheirIds(string name, bool sensitive)
        => Assert.Equal(sensitive, SensitiveFieldNames.IsSensitive(name));
}
