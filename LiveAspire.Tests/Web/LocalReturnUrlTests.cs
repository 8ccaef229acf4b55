using LiveAspire.Web.Components.Account;

namespace LiveAspire.Tests.Web;

/// <summary>Sign-in goes back only to a path of this site: never an absolute or protocol-relative address (an open redirect).</summary>
public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/profile")]
    [InlineData("/")]
    [InlineData("/c/some-channel?tab=chat#top")]
    public void APathOfThisSiteIsKept(string url) => Assert.Equal(url, AccountMessages.LocalReturnUrl(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/profile")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("profile")]
    [InlineData("/\tevil")]
    [InlineData("/\r\nLocation: https://evil.example")]
    public void AnythingElseIsRefused(string? url) => Assert.Null(AccountMessages.LocalReturnUrl(url));
}
