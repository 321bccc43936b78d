using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Hosting;

namespace Tongban.Tests.Hosting;

/// <summary>
/// A refusal that escapes an endpoint as an exception leaves with its <c>code</c> beside the title and detail it always had:
/// portals and the console tell refusals apart by the code, people by the detail.
/// </summary>
public class RefusalCodeSpec
{
    private static async Task<(int Status, JsonElement Problem)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(http, exception, TestContext.Current.CancellationToken));
        http.Response.Body.Position = 0;
        return (http.Response.StatusCode, await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_concurrent_change_is_a_409_with_code_concurrent_change()
    {
        var (status, problem) = await HandleAsync(new ConcurrentChangeException());

        Assert.Equal(409, status);
        Assert.Equal(("Concurrent change", "concurrent-change"), (problem.GetProperty("title").GetString(), problem.GetProperty("code").GetString()));
        Assert.Equal("The application was changed by someone else meanwhile; try again.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(RefusalKind.Conflict, 409)]
    [InlineData(RefusalKind.Forbidden, 403)]
    [InlineData(RefusalKind.Invalid, 400)]
    public async Task A_refusal_keeps_its_title_and_detail_and_adds_its_code(RefusalKind kind, int expected)
    {
        var (status, problem) = await HandleAsync(new TransitionRefused(kind, RefusalCode.AlreadyDecided, "The match has been decided."));

        Assert.Equal(expected, status);
        Assert.Equal(("Refused", "The match has been decided.", "already-decided"),
            (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString(), problem.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task An_unexpected_error_has_no_code()
    {
        var (status, problem) = await HandleAsync(new InvalidOperationException("boom"));

        Assert.Equal(500, status);
        Assert.False(problem.TryGetProperty("code", out _));
    }
}
