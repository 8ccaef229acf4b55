using LiveAspire.Realtime.Edge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LiveAspire.Tests.Realtime.Edge;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData("http://localhost:17105")]
    [InlineData("http://127.0.0.1:17105")]
    [InlineData("http://[::1]:17105")]
    public void ALoopbackWebOriginIsAllowedUnderEachOfItsNames(string origin)
        => Assert.True(Policy("http://localhost:17105").IsAllowed(origin));

    [Theory]
    [InlineData("http://localhost:17106")] // another port is another site
    [InlineData("https://localhost:17105")] // another scheme too
    [InlineData("http://127.0.0.2:17105")]
    [InlineData("http://localhost.evil.com:17105")]
    [InlineData("null")]
    public void OnlyTheSameSchemeAndPortOnLoopbackCount(string origin)
        => Assert.False(Policy("http://localhost:17105").IsAllowed(origin));

    [Fact]
    public void APublicWebOriginGetsNoLoopbackNames()
    {
        var policy = Policy("https://live.example.com");
        Assert.True(policy.IsAllowed("https://live.example.com"));
        Assert.False(policy.IsAllowed("https://localhost"));
        Assert.False(policy.IsAllowed("https://127.0.0.1"));
    }

    private static OriginPolicy Policy(string web)
        => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [OriginPolicy.WebOriginKey] = web }).Build(),
            Options.Create(new EdgeOptions()));
}
