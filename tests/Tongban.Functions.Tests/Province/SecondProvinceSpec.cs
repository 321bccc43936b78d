using System.Net;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Province;

/// <summary>Hebei runs from its configuration file alone: nothing in the pipeline is Hainan-specific.</summary>
public sealed class SecondProvinceSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite, "--Province:Name=hebei");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Hebei_pays_Shijiazhuang_1980_yuan_on_its_own_finer_duration_scale()
    {
        var cities = await _app.Anonymous.GetJsonAsync("/api/v1/reference/cities");
        Assert.Equal(["130100", "130200", "130600"], cities.EnumerateArray().Select(c => c.GetProperty("code").GetString()));

        // 40 months of contributions: 12 months nationally, 15 on Hebei's scale.
        var id = People.IdNumber(1, region: "130102");
        await _app.ImportAsync(People.Csv(People.Spell(id, "刘一", "130100", 1, "2023-03", "2026-06", "mutual-agreement")));
        var response = await _app.Portal.SubmitAsync(People.Application(id, "刘一", office: "130200-01"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");

        using var tangshan = await _app.StaffAsync("130200-01-r1");
        Assert.Equal(HttpStatusCode.OK, (await tangshan.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review", new { decision = "approve" })).StatusCode);
        using var shijiazhuang = await _app.StaffAsync("130100-sup");
        Assert.Equal(HttpStatusCode.OK, (await shijiazhuang.PostJsonAsync($"/api/v1/applications/{applicationId}/final-review", new { decision = "approve" })).StatusCode);

        var entitlement = (await _app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetProperty("entitlement");
        Assert.Equal(15, entitlement.GetProperty("months").GetInt32());
        Assert.Equal(1980.00m, entitlement.GetProperty("monthlyAmount").GetDecimal());
    }

    [Fact]
    public async Task A_Hainan_office_does_not_exist_in_Hebei()
    {
        var response = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(2, region: "130102"), office: "460100-01"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
