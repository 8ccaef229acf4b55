using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using LiveAspire.Contracts.Accounts;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>A new, unique account's credentials.</summary>
public sealed record TestAccount(string Username, string Email, string Password)
{
    public static TestAccount New(string tag = "u")
    {
        var id = Guid.NewGuid().ToString("N");
        return new TestAccount($"{tag}_{id[..12]}", $"{tag}.{id[..12]}@example.test", $"pw-{id}");
    }
}

/// <summary>The account endpoints as a test uses them. Every call is bounded by the HttpClient's timeout.</summary>
public static partial class AccountsClient
{
    public static async Task<Guid> RegisterAsync(this HttpClient http, TestAccount account)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { account.Username, account.Email, account.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RegisterResponse>())!.UserId;
    }

    public static async Task<TokenResponse> LoginAsync(this HttpClient http, string login, string password, string deviceId = "device-1")
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { login, password, deviceId });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    /// <summary>Registers a fresh account and logs it in.</summary>
    public static async Task<(TestAccount Account, Guid UserId, TokenResponse Tokens)> NewSessionAsync(this HttpClient http, string deviceId = "device-1")
    {
        var account = TestAccount.New();
        var id = await http.RegisterAsync(account);
        return (account, id, await http.LoginAsync(account.Username, account.Password, deviceId));
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient http, string path, object? body, string? accessToken = null)
        => http.SendAsync(Request(HttpMethod.Post, path, body, accessToken));

    public static Task<HttpResponseMessage> PutAsync(this HttpClient http, string path, object? body, string? accessToken = null)
        => http.SendAsync(Request(HttpMethod.Put, path, body, accessToken));

    public static Task<HttpResponseMessage> GetMeAsync(this HttpClient http, string accessToken)
        => http.SendAsync(Request(HttpMethod.Get, "/api/me", null, accessToken));

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient http, string refreshToken)
        => http.PostAsync("/api/auth/refresh", new { refreshToken });

    /// <summary>The token in the newest mail to <paramref name="email"/> whose subject contains <paramref name="subject"/>.</summary>
    public static async Task<string> MailedTokenAsync(this HttpClient http, string email, string subject)
    {
        var mail = await http.GetFromJsonAsync<List<DevMailMessage>>($"/api/dev/mail?to={Uri.EscapeDataString(email)}");
        var message = mail!.FirstOrDefault(m => m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase));
        Assert.True(message is not null, $"no mail about '{subject}' to {email}");
        return MailToken().Match(message.Body).Groups[1].Value;
    }

    /// <summary>The problem's <c>code</c> extension (null when the body is not a problem).</summary>
    public static async Task<string?> CodeAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return null;
        }
        using var json = JsonDocument.Parse(text);
        return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    /// <summary>Asserts the status and the problem's <c>code</c>.</summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, await response.CodeAsync());
    }

    /// <summary>The JWT's payload as JSON (no validation: the service does that).</summary>
    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body, string? accessToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        return request;
    }

    [GeneratedRegex(@"Token: (\S+)")]
    private static partial Regex MailToken();
}
